package org.lsst.ts.upgrade.runbook;

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
}
