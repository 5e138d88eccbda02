package org.lsst.ts.upgrade.runbook.incremental;

import org.lsst.ts.upgrade.runbook.LocalStep;
import org.lsst.ts.upgrade.runbook.RunPlans;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.RunbookProperties;
import org.lsst.ts.upgrade.runbook.SitePlan;
import org.lsst.ts.upgrade.runbook.runs.RunProcesses;
import org.lsst.ts.upgrade.runbook.scripts.ScriptConfigs;
import static org.lsst.ts.upgrade.runbook.incremental.IncrementalUpgradeIds.*;
import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.SummaryState;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.Site.Csc;
import org.lsst.ts.upgrade.site.Site.StateRequest;
import org.lsst.ts.upgrade.site.Sites;
import org.springframework.stereotype.Component;

/**
 * Plans {@code incremental-upgrade} from the site file: the affected CSCs (run input {@code cscs})
 * with their namespaces, csc-classes and apps, plus the ScriptQueues (they must talk to the new
 * interface too). A test stand: {@link SitePlan#testStand}. An affected CSC must run in Kubernetes
 * (its Job deleted, its app synced): one on a host is updated by the host's own procedure.
 */
@Component
@LocalStep
public class PlanIncrementalUpgrade implements JavaDelegate {
  private final Sites sites;
  private final RunbookProperties properties;

  public PlanIncrementalUpgrade(Sites sites, RunbookProperties properties) {
    this.sites = sites;
    this.properties = properties;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    Site site = sites.require(v.site());
    RunPlans.common(v, site, properties);
    if (v.has(BREAKING_SCHEMA_CHANGE) && v.flag(BREAKING_SCHEMA_CHANGE)) {
      // the run API refuses it already; a start from Cockpit must not slip through
      throw new IllegalArgumentException("breakingSchemaChange: an incremental upgrade must not break schema "
          + "compatibility; deploy a full upgrade instead");
    }
    List<Csc> affected = affected(site, v.list(CSCS)); // unknown: UnknownCscException naming site and CSC
    for (Csc c : affected) {
      String why = notOnKubernetes(site, c);
      if (why != null) {
        // the run API refuses it already; from Cockpit it would be waited for but never updated
        throw new IllegalArgumentException("cscs: " + why);
      }
    }
    List<Csc> queues = SitePlan.scriptQueues(site).stream().map(site::requireCsc).toList();
    Set<String> jobs = new LinkedHashSet<>();
    Set<String> apps = new LinkedHashSet<>();
    List<String> expectations = new ArrayList<>();
    List<String> standby = new ArrayList<>();
    List<StateRequest> cycle = new ArrayList<>();
    for (Csc c : queues) {
      if (c.onKubernetes() && c.cscClass() != null) {
        jobs.add(c.namespace() + "/" + c.cscClass());
      }
      if (c.app() != null) {
        apps.add(c.app());
      }
      expectations.add(c.id() + "=" + SummaryState.ENABLED.name());
    }
    boolean watcher = SitePlan.hasWatcher(site);
    if (watcher) {
      // OFFLINE means its process is gone: its Job is deleted and re-created by the sync like the queues'
      Csc w = site.requireCsc(CscId.of(SitePlan.WATCHER));
      if (w.onKubernetes() && w.cscClass() != null) {
        jobs.add(w.namespace() + "/" + w.cscClass());
      }
      if (w.app() != null) {
        apps.add(w.app());
      }
      expectations.add(w.id() + "=" + SummaryState.STANDBY.name() + "|" + SummaryState.ENABLED.name());
    }
    for (Csc c : affected) {
      if (c.onKubernetes() && c.cscClass() != null) {
        jobs.add(c.namespace() + "/" + c.cscClass());
      }
      if (c.app() != null) {
        apps.add(c.app());
      }
      expectations.add(c.id() + "=" + SummaryState.STANDBY.name());
      standby.add(c.id() + "=" + SummaryState.STANDBY.name());
      for (SummaryState s : List.of(SummaryState.DISABLED, SummaryState.ENABLED, SummaryState.DISABLED,
          SummaryState.STANDBY)) {
        cycle.add(new StateRequest(c.id().toString(), s.name()));
      }
    }
    List<Csc> siblings = siblings(site, affected);
    List<String> targets = new ArrayList<>();
    affected.forEach(c -> targets.add(c.id().toString()));
    for (Csc c : siblings) {
      // their Jobs go with the affected ones' (same csc-class): OFFLINE first, then back up and awaited
      targets.add(c.id().toString());
      expectations.add(c.id() + "=" + SummaryState.STANDBY.name());
    }
    v.set(OFFLINE_TARGETS, targets);
    v.set(VAR_SIBLINGS, siblings.stream().map(c -> c.id().toString()).toList());
    v.set(VAR_SIBLINGS_TEXT, siblings.isEmpty() ? "none"
        : siblings.stream().map(c -> c.id().toString()).collect(java.util.stream.Collectors.joining(", ")));
    v.set(VAR_JOB_TARGETS, new ArrayList<>(jobs));
    v.set(VAR_AFFECTED_APPS, new ArrayList<>(apps));
    v.set(VAR_AFFECTED_EXPECTATIONS, expectations);
    v.set(VAR_AFFECTED_STANDBY, standby);
    v.set(VAR_HAS_WATCHER, watcher);
    v.set(VAR_WATCHER_BACK_CONFIG_JSON, watcher ? ScriptConfigs.toJson(ScriptConfigs.setSummaryState(
        List.of(new StateRequest(SitePlan.WATCHER, SummaryState.ENABLED.name())), null)) : null);
    boolean testStand = SitePlan.testStand(site);
    v.set(VAR_TEST_STAND, testStand);
    v.set(VAR_CYCLE_CONFIG_JSON, cycle.isEmpty() ? null : ScriptConfigs.toJson(ScriptConfigs.setSummaryState(cycle, null)));
    List<String> requested = v.list(TELESCOPES_VAR);
    if (requested.isEmpty()) {
      v.set(TELESCOPES_VAR, telescopes(site, affected));
    } else {
      // the operator's choice (e.g. only AuxTel for an ESS of the AuxTel dome), never leaving out a changed telescope
      String why = leftOut(site, affected, requested);
      if (why != null) {
        throw new IllegalArgumentException("telescopes: " + why);
      }
      List<String> chosen = new ArrayList<>(List.of(RunProcesses.AUXTEL, RunProcesses.MAINTEL));
      chosen.retainAll(requested);
      v.set(TELESCOPES_VAR, chosen);
    }
  }

  static final String TELESCOPES_VAR = RunVariables.TELESCOPES;

  /**
   * The siblings of the affected CSCs: the other CSCs in Kubernetes with the same namespace and
   * csc-class ({@code kubectl delete job -l csc-class=...} deletes theirs too), the ScriptQueues and
   * the Watcher left out (handled anyway). Summit, one ESS in envsys: every other ESS there.
   */
  public static List<Csc> siblings(Site site, List<Csc> affected) {
    List<Csc> out = new ArrayList<>();
    for (Csc c : site.cscs()) {
      if (affected.contains(c) || !c.onKubernetes() || c.cscClass() == null
          || c.id().component().equals(SitePlan.SCRIPT_QUEUE) || c.id().component().equals(SitePlan.WATCHER)) {
        continue;
      }
      if (affected.stream().anyMatch(a -> a.onKubernetes() && c.cscClass().equals(a.cscClass())
          && java.util.Objects.equals(c.namespace(), a.namespace()))) {
        out.add(c);
      }
    }
    return out;
  }

  /** The affected CSCs of the run input {@code cscs}: the ScriptQueues and the Watcher are handled anyway. */
  public static List<Csc> affected(Site site, List<String> cscs) {
    List<Csc> affected = new ArrayList<>();
    for (String s : cscs) {
      CscId id = CscId.parse(s);
      if (!id.component().equals(SitePlan.SCRIPT_QUEUE) && !id.component().equals(SitePlan.WATCHER)) {
        affected.add(site.requireCsc(id));
      }
    }
    return affected;
  }

  /** Why the incremental upgrade cannot update this CSC (it does not run in Kubernetes), or null. */
  public static String notOnKubernetes(Site site, Csc c) {
    if (c.onKubernetes()) {
      return null;
    }
    return "CSC '" + c.id() + "' runs on host " + (c.host() == null ? "(none named)" : c.host()) + " at site '"
        + site.id() + "', not in Kubernetes: an incremental upgrade deletes Kubernetes Jobs and syncs Argo CD apps, "
        + "which would not update it, and would then wait for it; it is updated by its host's own procedure "
        + "(the full upgrade's host, ESS-controller or cRIO steps)";
  }

  /** The telescope a CSC belongs to (AT*: AuxTel; MT*, CCCamera: MainTel), or null when it cannot be placed. */
  static String telescopeOf(Csc c) {
    String name = c.id().component();
    if (name.startsWith("AT")) {
      return RunProcesses.AUXTEL;
    }
    if (name.startsWith("MT") || name.equals("CCCamera")) {
      return RunProcesses.MAINTEL;
    }
    return null;
  }

  /**
   * Why {@code requested} may not be the telescopes tested: it leaves out one the site tests whose
   * components changed (the seed: test the telescope that was updated); null when it may.
   */
  public static String leftOut(Site site, List<Csc> affected, List<String> requested) {
    Map<String, List<String>> changed = new LinkedHashMap<>();
    for (Csc c : affected) {
      String t = telescopeOf(c);
      if (t != null && !requested.contains(t) && tested(site).contains(t)) {
        changed.computeIfAbsent(t, k -> new ArrayList<>()).add(c.id().toString());
      }
    }
    if (changed.isEmpty()) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    changed.forEach((t, ids) -> parts.add(t + " (its " + String.join(", ", ids) + " changed)"));
    return requested + " leaves out " + String.join(" and ", parts)
        + ": minimal testing must cover every telescope whose components changed";
  }

  private static List<String> tested(Site site) {
    return site.minimalTesting() != null && site.minimalTesting().telescopes() != null
        && !site.minimalTesting().telescopes().isEmpty() ? site.minimalTesting().telescopes()
        : List.of(RunProcesses.AUXTEL, RunProcesses.MAINTEL);
  }

  /**
   * The telescope whose components changed: AT* is AuxTel, MT* and the main camera MainTel; anything
   * else (ESS, Watcher, ...) cannot be placed, so both are tested.
   */
  static List<String> telescopes(Site site, List<Csc> affected) {
    Set<String> out = new LinkedHashSet<>();
    boolean unsure = affected.isEmpty();
    for (Csc c : affected) {
      String t = telescopeOf(c);
      if (t != null) {
        out.add(t);
      } else {
        unsure = true;
      }
    }
    if (unsure) {
      out.add(RunProcesses.AUXTEL);
      out.add(RunProcesses.MAINTEL);
    }
    List<String> result = new ArrayList<>(List.of(RunProcesses.AUXTEL, RunProcesses.MAINTEL));
    result.retainAll(out);
    if (site.minimalTesting() != null && site.minimalTesting().telescopes() != null
        && !site.minimalTesting().telescopes().isEmpty()) {
      result.retainAll(site.minimalTesting().telescopes());
    }
    return result;
  }
}
