package org.lsst.ts.upgrade.runbook.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.site.SiteProperties;
import org.lsst.ts.upgrade.site.Sites;

class RunInputValidatorTests {
  private final RunInputValidator validator = new RunInputValidator(new Sites(new SiteProperties(null)));

  private Map<String, String> errors(Map<String, Object> body) {
    return catchThrowableOfType(RunInputException.class, () -> validator.validate(body)).fields();
  }

  private static Map<String, Object> body(Object... kv) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void fullUpgradeAtTheSummitNeedsEveryBranch() {
    RunRequest r = validator.validate(body("process", "full-upgrade", "site", "summit", "cycle", "Cycle 40",
        "breakingSchemaChange", true, "phalanxRef", "tickets/DM-12345", "dockerComposeOpsBranch", "cycle40",
        "loveIntegrationToolsBranch", "cycle40"));
    assertThat(r.breakingSchemaChange()).isTrue();
    assertThat(r.dockerComposeOpsBranch()).isEqualTo("cycle40");

    Map<String, String> e = errors(body("process", "full-upgrade", "site", "summit", "cycle", "Cycle 40",
        "breakingSchemaChange", "yes", "phalanxRef", "tickets/DM-1;rm -rf /", "dockerComposeOpsBranch", "a..b"));
    assertThat(e).containsOnlyKeys("breakingSchemaChange", "phalanxRef", "dockerComposeOpsBranch",
        "loveIntegrationToolsBranch");
    assertThat(e.get("breakingSchemaChange")).contains("true or false");
    assertThat(e.get("loveIntegrationToolsBranch")).contains("love01");
  }

  @Test
  void testStandsNeedNoBareMetalBranchesAndAcceptAPhalanxPullRequest() {
    RunRequest r = validator.validate(body("process", "full-upgrade", "site", "tts", "cycle", "Cycle 40",
        "breakingSchemaChange", false, "phalanxRef", "https://github.com/lsst-sqre/phalanx/pull/4711"));
    assertThat(r.phalanxRef()).endsWith("/4711");
  }

  @Test
  void unknownProcessAndSiteAreBothNamed() {
    Map<String, String> e = errors(body("process", "upgrade-everything", "site", "mars"));
    assertThat(e).containsOnlyKeys("process", "site");
    assertThat(e.get("process")).contains("upgrade-everything").contains("full-upgrade");
    assertThat(e.get("site")).contains("mars").contains("summit");
  }

  @Test
  void missingFieldsAndUnknownFieldsAreEachNamed() {
    Map<String, String> e = errors(body("process", "full-upgrade", "site", "bts", "colour", "blue"));
    assertThat(e).containsOnlyKeys("colour", "cycle", "breakingSchemaChange", "phalanxRef");
  }

  @Test
  void incrementalUpgradeRefusesABreakingChangeAndNamesUnknownCscs() {
    Map<String, String> e = errors(body("process", "incremental-upgrade", "site", "bts", "cycle", "Cycle 40",
        "revision", "Revision 2", "cscs", List.of("ATDome", "NoSuchCsc:3", "not a csc", "ATDome"),
        "breakingSchemaChange", true));
    assertThat(e).containsOnlyKeys("breakingSchemaChange", "cscs[1]", "cscs[2]", "cscs[3]");
    assertThat(e.get("breakingSchemaChange")).contains("must not break schema compatibility").contains("full-upgrade");
    assertThat(e.get("cscs[1]")).contains("NoSuchCsc:3").contains("bts");
    assertThat(e.get("cscs[3]")).contains("twice");

    RunRequest ok = validator.validate(body("process", "incremental-upgrade", "site", "bts", "cycle", "Cycle 40",
        "revision", "Revision 2", "cscs", List.of("ATDome", "ESS:201"), "breakingSchemaChange", false));
    assertThat(ok.cscs()).containsExactly("ATDome", "ESS:201");
    assertThat(errors(body("process", "incremental-upgrade", "site", "bts", "cycle", "Cycle 40",
        "breakingSchemaChange", false))).containsOnlyKeys("revision", "cscs");
  }

  @Test
  void minimalTestingNamesUnknownTelescopesAndRefusesInputsItDoesNotTake() {
    Map<String, String> e = errors(body("process", "minimal-testing", "site", "tts",
        "telescopes", List.of("auxtel", "comcam"), "cycle", "Cycle 40"));
    assertThat(e).containsOnlyKeys("telescopes[1]", "cycle");
    assertThat(e.get("telescopes[1]")).contains("comcam");
    assertThat(e.get("cycle")).contains("not an input of process minimal-testing");
    assertThat(validator.validate(body("process", "minimal-testing", "site", "tts")).telescopes()).isNull();
    assertThat(validator.validate(body("process", "os-k8s-recovery", "site", "summit")).site()).isEqualTo("summit");
  }

  private static Map<String, Object> incremental(String site, List<String> cscs, Object... more) {
    Map<String, Object> b = body("process", "incremental-upgrade", "site", site, "cycle", "Cycle 40",
        "revision", "Revision 2", "cscs", cscs, "breakingSchemaChange", false);
    b.putAll(body(more));
    return b;
  }

  @Test
  void newTopicsOfTheAffectedCscsAreAcceptedShortOrFullAndStoredAsFullNames() {
    RunRequest r = validator.validate(incremental("bts", List.of("ATDome", "ESS:201"),
        "newTopics", List.of("ATDome.logevent_newDomeEvent", "lsst.sal.ESS.command_setThresholds", "ESS.airFlow")));
    assertThat(r.newTopics()).containsExactly("lsst.sal.ATDome.logevent_newDomeEvent",
        "lsst.sal.ESS.command_setThresholds", "lsst.sal.ESS.airFlow");
    assertThat(validator.validate(incremental("bts", List.of("ATDome"))).newTopics()).isNull();
  }

  @Test
  void newTopicsThatAreNotTopicsOfAnAffectedCscAreEachNamed() {
    Map<String, String> e = errors(incremental("bts", List.of("ATDome"), "newTopics",
        List.of("ATMCS.logevent_newThing", "not a topic", "lsst.other.ATDome.logevent_x", 7,
            "ATDome.logevent_x", "lsst.sal.ATDome.logevent_x")));
    assertThat(e).containsOnlyKeys("newTopics[0]", "newTopics[1]", "newTopics[2]", "newTopics[3]", "newTopics[5]");
    assertThat(e.get("newTopics[0]")).contains("ATMCS.logevent_newThing").contains("not an affected CSC")
        .contains("ATDome");
    assertThat(e.get("newTopics[1]")).contains("not a SAL topic name").contains("<Component>.<topic>");
    assertThat(e.get("newTopics[2]")).contains("lsst.sal.");
    assertThat(e.get("newTopics[5]")).contains("twice");
    assertThat(errors(incremental("bts", List.of("ATDome"), "newTopics", "ATDome.logevent_x")))
        .containsOnlyKeys("newTopics");
    assertThat(errors(body("process", "minimal-testing", "site", "tts", "newTopics", List.of("ATDome.x"))))
        .containsOnlyKeys("newTopics");
    // a bad CSC is named once; its topics are not judged against a partial list
    assertThat(errors(incremental("bts", List.of("ATDome", "Nope:1"), "newTopics", List.of("Nope.logevent_x"))))
        .containsOnlyKeys("cscs[1]");
  }

  @Test
  void aCscRunningOnAHostIsRefusedNamingItsHost() {
    Map<String, String> e = errors(incremental("summit", List.of("MTMount", "ESS:201", "ATCamera")));
    assertThat(e).containsOnlyKeys("cscs[1]", "cscs[2]");
    assertThat(e.get("cscs[1]")).contains("ESS:201").contains("auxtel-ess01").contains("not in Kubernetes")
        .contains("its host's own procedure");
    assertThat(e.get("cscs[2]")).contains("ATCamera").contains("auxtel-mcm");
    assertThat(validator.validate(incremental("summit", List.of("MTMount"))).cscs()).containsExactly("MTMount");
  }

  @Test
  void incrementalTelescopesMayNarrowTheUnsureCaseButNotLeaveOutAChangedTelescope() {
    assertThat(validator.validate(incremental("bts", List.of("ATDome", "ESS:201"), "telescopes", List.of("auxtel")))
        .telescopes()).containsExactly("auxtel");
    Map<String, String> e = errors(incremental("bts", List.of("ATDome", "MTMount"), "telescopes", List.of("maintel")));
    assertThat(e).containsOnlyKeys("telescopes");
    assertThat(e.get("telescopes")).contains("leaves out auxtel").contains("ATDome");
    assertThat(errors(incremental("summit", List.of("MTMount"), "telescopes", List.of("maintel"))).get("telescopes"))
        .contains("not a test stand");
  }
}
