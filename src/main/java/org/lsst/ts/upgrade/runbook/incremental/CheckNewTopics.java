package org.lsst.ts.upgrade.runbook.incremental;

import org.lsst.ts.upgrade.runbook.RunVariables;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.csc.CscTopics;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.Sites;
import org.springframework.stereotype.Component;

/**
 * The incremental check that the new interface is on the broker: each affected component has its
 * {@code logevent_summaryState} and {@code logevent_heartbeat} topics, and so has every topic of the
 * optional run variable {@code newTopics} ({@code <Component>.<topic>} or the full
 * {@code lsst.<subname>.<Component>.<topic>}; each of an affected component). Only the listed
 * topics can show that the new interface is there: the two state topics already existed before the
 * upgrade. Missing topics fail the task (retries: a CSC creates its topics when it starts; then an
 * incident naming them).
 */
@Component
public class CheckNewTopics implements JavaDelegate {
  public static final String NEW_TOPICS = "newTopics";
  /** {@code [lsst.<subname>.]<Component>.<topic>}; the component as in {@link CscId}. */
  private static final Pattern TOPIC = Pattern.compile(
      "(?:lsst\\.([A-Za-z0-9_-]{1,40})\\.)?([A-Z][A-Za-z0-9]{0,63})\\.([A-Za-z][A-Za-z0-9_]{0,127})");

  private final CscTopics topics;
  private final Sites sites;

  public CheckNewTopics(CscTopics topics, Sites sites) {
    this.topics = topics;
    this.sites = sites;
  }

  /** A listed topic: its component and its full name on the site's broker. */
  public record Topic(String component, String name) {}

  /**
   * Parses a {@code newTopics} entry for a broker whose SAL topics start with
   * {@code lsst.<subname>.}; an IllegalArgumentException says what is wrong with it.
   */
  public static Topic parse(String text, Site.Endpoints broker) {
    String subname = broker.kafkaTopicSubname();
    Matcher m = text == null ? null : TOPIC.matcher(text.trim());
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a SAL topic name: expected <Component>.<topic> "
          + "(e.g. ATDome.logevent_newEvent) or lsst." + subname + ".<Component>.<topic>");
    }
    if (m.group(1) != null && !m.group(1).equals(subname)) {
      throw new IllegalArgumentException("'" + text + "' is not a topic of this site's broker: its SAL topics "
          + "start with lsst." + subname + ".");
    }
    return new Topic(m.group(2), broker.topic(m.group(2), m.group(3)));
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    Site site = sites.require(v.site());
    Site.Endpoints broker = site.endpoints();
    Map<String, List<String>> wanted = new LinkedHashMap<>();
    for (String s : v.list(RunVariables.CSCS)) {
      String component = CscId.parse(s).component();
      wanted.computeIfAbsent(component, c -> new ArrayList<>(List.of(
          broker.topic(c, "logevent_summaryState"), broker.topic(c, "logevent_heartbeat"))));
    }
    Set<String> listed = new LinkedHashSet<>();
    for (String entry : v.list(NEW_TOPICS)) {
      Topic t = parse(entry, broker); // from Cockpit: not validated by the run API
      List<String> of = wanted.get(t.component());
      if (of == null) {
        throw new IllegalArgumentException("newTopics: '" + entry + "' is a topic of " + t.component()
            + ", which is not an affected CSC (cscs: " + v.list(RunVariables.CSCS) + ")");
      }
      if (!of.contains(t.name())) {
        of.add(t.name());
      }
      listed.add(t.name());
    }
    List<String> missing = new ArrayList<>();
    List<String> report = new ArrayList<>();
    for (var e : wanted.entrySet()) {
      Set<String> present = topics.topicsOf(site.id(), e.getKey());
      report.add(e.getKey() + ": " + present.size() + " topic(s)");
      for (String t : e.getValue()) {
        if (!present.contains(t)) {
          missing.add(t + (listed.contains(t) ? " (listed in newTopics)" : ""));
        } else if (listed.contains(t)) {
          report.add("  new topic present: " + t);
        }
      }
    }
    v.set(IncrementalUpgradeIds.VAR_TOPICS_TEXT, String.join("\n", report));
    if (!missing.isEmpty()) {
      throw new IllegalStateException("Topics missing on " + site.id() + "'s broker: " + String.join(", ", missing)
          + ". A CSC creates its topics when it starts with the new interface: check that the affected CSCs "
          + "run the new version (Argo CD, Kafdrop, the schema-registry logs), then retry the job in Cockpit.");
    }
  }
}
