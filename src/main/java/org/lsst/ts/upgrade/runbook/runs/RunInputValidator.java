package org.lsst.ts.upgrade.runbook.runs;

import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.SitePlan;
import org.lsst.ts.upgrade.runbook.incremental.CheckNewTopics;
import org.lsst.ts.upgrade.runbook.incremental.PlanIncrementalUpgrade;
import static org.lsst.ts.upgrade.runbook.runs.RunProcesses.*;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.GitRefs;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.Sites;
import org.springframework.stereotype.Component;

/**
 * Checks a run's JSON body field by field and reports every problem at once: which process takes
 * which input is decided here, so a field a process does not use is an error rather than silently
 * dropped.
 */
@Component
class RunInputValidator {
  /** Labels shown in forms and Slack: "Cycle 40", "Revision 2". */
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,39}");
  /** A Phalanx pull request given by its URL instead of a branch. */
  private static final Pattern PHALANX_PR = Pattern.compile("https://github\\.com/lsst-sqre/phalanx/pull/[0-9]{1,7}");
  private static final List<String> FIELDS = List.of("process", "site", RunVariables.CYCLE, RunVariables.REVISION,
      RunVariables.BREAKING_SCHEMA_CHANGE, RunVariables.PHALANX_REF, RunVariables.DOCKER_COMPOSE_OPS_BRANCH,
      RunVariables.LOVE_INTEGRATION_TOOLS_BRANCH, RunVariables.CSCS, RunVariables.TELESCOPES, CheckNewTopics.NEW_TOPICS);
  /** Inputs each process takes (process and site: all). */
  private static final Map<String, Set<String>> INPUTS = Map.of(
      FULL_UPGRADE, Set.of(RunVariables.CYCLE, RunVariables.BREAKING_SCHEMA_CHANGE, RunVariables.PHALANX_REF,
          RunVariables.DOCKER_COMPOSE_OPS_BRANCH, RunVariables.LOVE_INTEGRATION_TOOLS_BRANCH),
      INCREMENTAL_UPGRADE, Set.of(RunVariables.CYCLE, RunVariables.REVISION, RunVariables.BREAKING_SCHEMA_CHANGE, RunVariables.PHALANX_REF,
          RunVariables.CSCS, RunVariables.TELESCOPES, CheckNewTopics.NEW_TOPICS),
      OS_K8S_RECOVERY, Set.of(),
      MINIMAL_TESTING, Set.of(RunVariables.TELESCOPES));

  private final Sites sites;

  RunInputValidator(Sites sites) {
    this.sites = sites;
  }

  /** The request, or a {@link RunInputException} naming every bad field. */
  RunRequest validate(Map<String, Object> body) {
    Map<String, String> errors = new LinkedHashMap<>();
    if (body == null) {
      throw new RunInputException(Map.of("body", "a JSON object is required"));
    }
    for (String key : body.keySet()) {
      if (!FIELDS.contains(key)) {
        errors.put(key, "unknown field; known fields: " + String.join(", ", FIELDS));
      }
    }
    String process = string(body, "process", errors);
    if (process == null && !errors.containsKey("process")) {
      errors.put("process", "is required: one of " + String.join(", ", ALL));
    } else if (process != null && !ALL.contains(process)) {
      errors.put("process", "unknown process '" + process + "'; known: " + String.join(", ", ALL));
      process = null;
    }
    String siteId = string(body, "site", errors);
    Site site = null;
    if (siteId == null && !errors.containsKey("site")) {
      errors.put("site", "is required: one of " + String.join(", ", sites.ids()));
    } else if (siteId != null) {
      site = sites.find(siteId).orElse(null);
      if (site == null) {
        errors.put("site", "unknown site '" + siteId + "'; known sites: " + String.join(", ", sites.ids()));
      }
    }
    if (process == null) {
      throw new RunInputException(errors);
    }
    Set<String> inputs = INPUTS.get(process);
    for (String key : FIELDS) {
      if (!key.equals("process") && !key.equals("site") && body.get(key) != null && !inputs.contains(key)) {
        errors.put(key, "is not an input of process " + process);
      }
    }
    boolean full = FULL_UPGRADE.equals(process);
    boolean incremental = INCREMENTAL_UPGRADE.equals(process);

    String cycle = null;
    String revision = null;
    Boolean breaking = null;
    String phalanxRef = null;
    String dcoBranch = null;
    String litBranch = null;
    List<String> cscs = null;
    List<String> telescopes = null;
    List<String> newTopics = null;
    if (full || incremental) {
      cycle = label(body, RunVariables.CYCLE, "Cycle 40", errors);
      breaking = bool(body, RunVariables.BREAKING_SCHEMA_CHANGE, errors);
      if (breaking == null && !errors.containsKey(RunVariables.BREAKING_SCHEMA_CHANGE)) {
        errors.put(RunVariables.BREAKING_SCHEMA_CHANGE, "is required: true or false (does the change break schema compatibility?)");
      }
      phalanxRef = phalanxRef(body, full, errors);
    }
    if (full) {
      dcoBranch = branch(body, RunVariables.DOCKER_COMPOSE_OPS_BRANCH, site, Site.BranchInput.DOCKER_COMPOSE_OPS, errors);
      litBranch = branch(body, RunVariables.LOVE_INTEGRATION_TOOLS_BRANCH, site, Site.BranchInput.LOVE_INTEGRATION_TOOLS, errors);
    }
    if (incremental) {
      revision = label(body, RunVariables.REVISION, "Revision 2", errors);
      if (Boolean.TRUE.equals(breaking)) {
        errors.put(RunVariables.BREAKING_SCHEMA_CHANGE, "an incremental upgrade must not break schema compatibility "
            + "(the CSCs left running would no longer read the changed topics); deploy a breaking change "
            + "as a full-upgrade, which sets the registry's compatibility to NONE and restores it");
      }
      cscs = cscs(body, site, errors);
    }
    if (incremental || MINIMAL_TESTING.equals(process)) {
      telescopes = telescopes(body, site, errors);
    }
    if (incremental && site != null) {
      // the checks below need the affected CSCs and the telescopes, each without errors of its own
      List<String> validCscs = hasError(errors, RunVariables.CSCS) ? null : cscs;
      List<Site.Csc> affected = validCscs == null ? null : PlanIncrementalUpgrade.affected(site, validCscs);
      if (hasError(errors, RunVariables.TELESCOPES)) {
        // named already
      } else if (telescopes != null && !SitePlan.testStand(site)) {
        errors.put(RunVariables.TELESCOPES, "site '" + site.id() + "' is not a test stand: its incremental upgrade ends "
            + "without minimal testing");
      } else if (telescopes != null && affected != null) {
        String why = PlanIncrementalUpgrade.leftOut(site, affected, telescopes);
        if (why != null) {
          errors.put(RunVariables.TELESCOPES, why);
        }
      }
      newTopics = newTopics(body, site, validCscs, errors);
    }
    if (!errors.isEmpty()) {
      throw new RunInputException(errors);
    }
    return new RunRequest(process, siteId, cycle, revision, breaking, phalanxRef, dcoBranch, litBranch, cscs, telescopes,
        newTopics);
  }

  /**
   * Optional topics the new interface adds, {@code <Component>.<topic>} or
   * {@code lsst.<subname>.<Component>.<topic>}, each of an affected CSC's component; returned as full
   * names on the site's broker.
   */
  private static List<String> newTopics(Map<String, Object> body, Site site, List<String> cscs,
      Map<String, String> errors) {
    String key = CheckNewTopics.NEW_TOPICS;
    Object v = body.get(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof List<?> list) || list.isEmpty()) {
      errors.put(key, "must be a non-empty list of topic names (<Component>.<topic>, e.g. "
          + "\"ATDome.logevent_newEvent\"), not " + json(v));
      return null;
    }
    Set<String> components = new java.util.LinkedHashSet<>();
    if (cscs != null) {
      cscs.forEach(c -> components.add(CscId.parse(c).component()));
    }
    List<String> result = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String path = key + "[" + i + "]";
      Object item = list.get(i);
      if (!(item instanceof String text)) {
        errors.put(path, "must be a string topic name, not " + json(item));
        continue;
      }
      CheckNewTopics.Topic t;
      try {
        t = CheckNewTopics.parse(text, site.endpoints());
      } catch (IllegalArgumentException e) {
        errors.put(path, e.getMessage());
        continue;
      }
      if (cscs != null && !components.contains(t.component())) {
        errors.put(path, "topic '" + text + "' is of " + t.component() + ", which is not an affected CSC "
            + "(cscs: " + String.join(", ", cscs) + ")");
      } else if (result.contains(t.name())) {
        errors.put(path, "topic '" + t.name() + "' is listed twice");
      } else {
        result.add(t.name());
      }
    }
    return result;
  }

  private static boolean hasError(Map<String, String> errors, String key) {
    return errors.keySet().stream().anyMatch(k -> k.equals(key) || k.startsWith(key + "["));
  }

  private static String string(Map<String, Object> body, String key, Map<String, String> errors) {
    Object v = body.get(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      errors.put(key, "must be a string, not " + json(v));
      return null;
    }
    if (s.isBlank()) {
      errors.put(key, "must not be blank");
      return null;
    }
    return s.trim();
  }

  private static Boolean bool(Map<String, Object> body, String key, Map<String, String> errors) {
    Object v = body.get(key);
    if (v == null || v instanceof Boolean) {
      return (Boolean) v;
    }
    errors.put(key, "must be true or false, not " + json(v));
    return null;
  }

  private static String label(Map<String, Object> body, String key, String example, Map<String, String> errors) {
    String s = string(body, key, errors);
    if (s == null) {
      errors.putIfAbsent(key, "is required, e.g. \"" + example + "\"");
      return null;
    }
    if (!LABEL.matcher(s).matches()) {
      errors.put(key, "'" + s + "' must be letters, digits, spaces, '.', '_' or '-' (at most 40), e.g. \"" + example + "\"");
      return null;
    }
    return s;
  }

  private static String phalanxRef(Map<String, Object> body, boolean required, Map<String, String> errors) {
    String s = string(body, RunVariables.PHALANX_REF, errors);
    if (s == null) {
      if (required) {
        errors.putIfAbsent(RunVariables.PHALANX_REF, "is required: the Phalanx branch (e.g. tickets/DM-12345) or PR URL");
      }
      return null;
    }
    if (PHALANX_PR.matcher(s).matches()) {
      return s;
    }
    return gitRef(RunVariables.PHALANX_REF, s, errors);
  }

  private static String branch(Map<String, Object> body, String key, Site site, Site.BranchInput input,
      Map<String, String> errors) {
    String s = string(body, key, errors);
    boolean used = site != null && site.hosts().stream()
        .anyMatch(h -> h.repos().stream().anyMatch(r -> r.branch() == input));
    if (s == null) {
      if (used) {
        errors.putIfAbsent(key, "is required at site " + site.id() + ": its hosts "
            + site.hosts().stream().filter(h -> h.repos().stream().anyMatch(r -> r.branch() == input))
                .map(Site.Host::name).toList() + " are updated to this branch");
      }
      return null;
    }
    return gitRef(key, s, errors);
  }

  private static String gitRef(String key, String value, Map<String, String> errors) {
    try {
      return GitRefs.validate(key, value);
    } catch (IllegalArgumentException e) {
      errors.put(key, e.getMessage());
      return null;
    }
  }

  private static List<String> cscs(Map<String, Object> body, Site site, Map<String, String> errors) {
    Object v = body.get(RunVariables.CSCS);
    if (v == null) {
      errors.put(RunVariables.CSCS, "is required: the affected CSC instances, e.g. [\"ATDome\", \"ESS:201\"]");
      return null;
    }
    if (!(v instanceof List<?> list) || list.isEmpty()) {
      errors.put(RunVariables.CSCS, "must be a non-empty list of CSC ids (Name or Name:index), not " + json(v));
      return null;
    }
    List<String> result = new ArrayList<>();
    Set<CscId> seen = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String path = RunVariables.CSCS + "[" + i + "]";
      Object item = list.get(i);
      if (!(item instanceof String text)) {
        errors.put(path, "must be a string CSC id, not " + json(item));
        continue;
      }
      CscId id;
      try {
        id = CscId.parse(text);
      } catch (IllegalArgumentException e) {
        errors.put(path, e.getMessage());
        continue;
      }
      if (site != null && site.csc(id).isEmpty()) {
        errors.put(path, "CSC '" + id + "' is not in the inventory of site '" + site.id() + "'");
      } else if (site != null && PlanIncrementalUpgrade.notOnKubernetes(site, site.csc(id).get()) != null) {
        errors.put(path, PlanIncrementalUpgrade.notOnKubernetes(site, site.csc(id).get()));
      } else if (!seen.add(id)) {
        errors.put(path, "CSC '" + id + "' is listed twice");
      } else {
        result.add(id.toString());
      }
    }
    return result;
  }

  private static List<String> telescopes(Map<String, Object> body, Site site, Map<String, String> errors) {
    Object v = body.get(RunVariables.TELESCOPES);
    if (v == null) {
      return null;
    }
    if (!(v instanceof List<?> list) || list.isEmpty()) {
      errors.put(RunVariables.TELESCOPES, "must be a non-empty list of auxtel and/or maintel, not " + json(v));
      return null;
    }
    List<String> result = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String path = RunVariables.TELESCOPES + "[" + i + "]";
      Object item = list.get(i);
      if (!AUXTEL.equals(item) && !MAINTEL.equals(item)) {
        errors.put(path, "unknown telescope " + json(item) + ": expected auxtel or maintel");
      } else if (site != null && !site.minimalTesting().telescopes().contains(item)) {
        errors.put(path, "telescope '" + item + "' is not tested at site '" + site.id() + "' (site file: "
            + site.minimalTesting().telescopes() + ")");
      } else if (result.contains(item)) {
        errors.put(path, "telescope '" + item + "' is listed twice");
      } else {
        result.add((String) item);
      }
    }
    return result;
  }

  private static String json(Object v) {
    return v instanceof String s ? "'" + s + "'" : String.valueOf(v);
  }
}
