package org.lsst.ts.upgrade.runbook.runs;

import java.util.List;
import java.util.Map;

/**
 * The plan of a run, from the site file and the live systems, without acting: what {@code POST
 * /api/runs/plan} and {@code /upgrade plan} return and what the run's first user task shows
 * (implemented in {@code runbook.preflight}). It reads only: a dry run changes nothing and leaves no
 * action on the site.
 */
public interface RunPlanner {

  /**
   * @param process a key of {@link RunProcesses#ALL}
   * @param startVariables the run's start variables ({@code site}, {@code cycle}, ... as
   *     {@code POST /api/runs} sets them; lists as plain lists)
   */
  Plan plan(String process, Map<String, Object> startVariables);

  /** One part of the plan: a title and its lines (one script, object, app, command, notice, wait each). */
  record Section(String title, List<String> lines) {}

  record Plan(String process, String site, List<Section> sections) {
    /** The plan as Markdown-ish text: a heading per section, a bullet per line. */
    public String text() {
      StringBuilder s = new StringBuilder("Plan of " + process + " at " + site + "\n");
      for (Section sec : sections) {
        s.append("\n## ").append(sec.title()).append("\n");
        if (sec.lines().isEmpty()) {
          s.append("- (none)\n");
        }
        sec.lines().forEach(l -> s.append("- ").append(l).append("\n"));
      }
      return s.toString();
    }
  }
}
