package org.lsst.ts.upgrade.runbook.preflight;

import static org.lsst.ts.upgrade.runbook.preflight.PreflightIds.*;

import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.runs.RunPlanner.Section;
import org.springframework.stereotype.Component;

/**
 * The run's plan, from the site file and the live systems (reads only), as text per section for
 * the "Approve the plan" task.
 */
@Component
public class BuildPlan implements JavaDelegate {
  private final RunPlanBuilder plans;

  public BuildPlan(RunPlanBuilder plans) {
    this.plans = plans;
  }

  /**
   * A variable holds at most ~4000 characters: a long section (the Summit's hosts) goes on in
   * {@code <name>2}, {@code <name>3}, which the form shows under it.
   */
  static final int CHUNKS = 3;
  private static final int CHUNK = 3800;

  static List<String> chunks(List<String> lines) {
    List<String> out = new java.util.ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (String line : lines.isEmpty() ? List.of("(none)") : lines) {
      String item = "- " + line;
      if (cur.length() > 0 && cur.length() + 1 + item.length() > CHUNK) {
        out.add(cur.toString());
        cur.setLength(0);
      }
      cur.append(cur.length() == 0 ? "" : "\n").append(item);
    }
    out.add(cur.toString());
    return out;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    String process = CheckAccess.runOf(execution).getProcessDefinition().getKey();
    Map<String, Object> start = execution.getVariables();
    var planned = plans.planned(process, start, execution.getProcessEngineServices().getRepositoryService(), true);
    List<Section> sections = planned.plan().sections();
    List<String> names = List.of(VAR_PLAN_RUN, VAR_PLAN_SCRIPTS, VAR_PLAN_KUBERNETES, VAR_PLAN_ARGOCD, VAR_PLAN_HOSTS,
        VAR_PLAN_NOTICES, VAR_PLAN_MONITOR);
    for (String name : names) {
      v.set(name, "- (none)");
      for (int i = 2; i <= CHUNKS; i++) {
        v.set(name + i, null);
      }
    }
    for (Section s : sections) {
      String name = switch (s.title()) {
        case RunPlanBuilder.RUN -> VAR_PLAN_RUN;
        case RunPlanBuilder.SCRIPTS -> VAR_PLAN_SCRIPTS;
        case RunPlanBuilder.KUBERNETES -> VAR_PLAN_KUBERNETES;
        case RunPlanBuilder.ARGOCD -> VAR_PLAN_ARGOCD;
        case RunPlanBuilder.HOSTS -> VAR_PLAN_HOSTS;
        case RunPlanBuilder.NOTICES -> VAR_PLAN_NOTICES;
        default -> VAR_PLAN_MONITOR;
      };
      List<String> chunks = chunks(s.lines());
      for (int i = 0; i < chunks.size() && i < CHUNKS; i++) {
        v.set(i == 0 ? name : name + (i + 1), chunks.get(i));
      }
    }
    // the decision is the person's: never carried over from an earlier pass
    v.set(VAR_PLAN_DECISION, null);
  }
}
