package org.lsst.ts.upgrade.runbook;

import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.csc.CscId;
import org.lsst.ts.upgrade.csc.CscTopics;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.Sites;
import org.springframework.stereotype.Component;

/**
 * The incremental check that the new interface is on the broker: each affected component has its
 * {@code logevent_summaryState} and {@code logevent_heartbeat} topics, and so has every topic of the
 * optional run variable {@code newTopics} (full topic names). Missing topics fail the task (retries,
 * then an incident naming them).
 */
@Component
class CheckNewTopics implements JavaDelegate {
  static final String NEW_TOPICS = "newTopics";
  private final CscTopics topics;
  private final Sites sites;

  CheckNewTopics(CscTopics topics, Sites sites) {
    this.topics = topics;
    this.sites = sites;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    Site site = sites.require(v.site());
    String subname = site.endpoints().kafkaTopicSubname();
    Set<String> components = new LinkedHashSet<>();
    for (String s : v.list(CSCS)) {
      components.add(CscId.parse(s).component());
    }
    List<String> missing = new ArrayList<>();
    List<String> found = new ArrayList<>();
    List<String> extra = v.list(NEW_TOPICS);
    for (String component : components) {
      Set<String> present = topics.topicsOf(site.id(), component);
      List<String> wanted = new ArrayList<>();
      wanted.add("lsst." + subname + "." + component + ".logevent_summaryState");
      wanted.add("lsst." + subname + "." + component + ".logevent_heartbeat");
      extra.stream().filter(t -> t.startsWith("lsst." + subname + "." + component + ".")).forEach(wanted::add);
      for (String t : wanted) {
        (present.contains(t) ? found : missing).add(t);
      }
      found.add(component + ": " + present.size() + " topic(s)");
    }
    v.set(IncrementalUpgradeIds.TOPICS_TEXT, String.join("\n", found));
    if (!missing.isEmpty()) {
      throw new IllegalStateException("Topics missing on " + site.id() + "'s broker: " + String.join(", ", missing));
    }
  }
}
