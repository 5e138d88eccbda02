package org.lsst.ts.upgrade.runbook.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SlashCommandTextTests {

  @Test
  void quotedValuesStayTogether() {
    assertThat(SlashCommandText.tokens(" full-upgrade  summit cycle=\"Cycle 40\" breaking=true "))
        .containsExactly("full-upgrade", "summit", "cycle=Cycle 40", "breaking=true");
    assertThat(SlashCommandText.tokens("x cycle=\u201cCycle 40\u201d")).containsExactly("x", "cycle=Cycle 40");
  }

  @Test
  void unclosedQuoteIsAnError() {
    assertThatThrownBy(() -> SlashCommandText.tokens("full-upgrade summit cycle=\"Cycle 40"))
        .hasMessageContaining("quote is not closed");
  }

  @Test
  void keysMapToRunRequestFields() {
    var body = SlashCommandText.runRequest(List.of("incremental-upgrade", "bts", "cycle=Cycle 40",
        "revision=Revision 2", "cscs=ATDome, ESS:201", "breaking=false", "phalanx=tickets/DM-1",
        "dco=cycle40", "lit=deploy/summit", "telescopes=auxtel", "topics=ATDome.logevent_newEvent,ATDome.command_newCommand"));
    assertThat(body).containsEntry("process", "incremental-upgrade").containsEntry("site", "bts")
        .containsEntry("cycle", "Cycle 40").containsEntry("revision", "Revision 2")
        .containsEntry("cscs", List.of("ATDome", "ESS:201")).containsEntry("breakingSchemaChange", false)
        .containsEntry("phalanxRef", "tickets/DM-1").containsEntry("dockerComposeOpsBranch", "cycle40")
        .containsEntry("loveIntegrationToolsBranch", "deploy/summit").containsEntry("telescopes", List.of("auxtel"))
        .containsEntry("newTopics", List.of("ATDome.logevent_newEvent", "ATDome.command_newCommand"));
  }

  @Test
  void unknownKeysAndBadBooleansAreNamed() {
    assertThatThrownBy(() -> SlashCommandText.runRequest(List.of("full-upgrade", "summit", "colour=blue", "breaking=yes")))
        .hasMessageContaining("'colour=blue' is not key=value")
        .hasMessageContaining("breaking must be true or false, not 'yes'");
  }

  @Test
  void processAndSiteAreRequired() {
    assertThatThrownBy(() -> SlashCommandText.runRequest(List.of("full-upgrade")))
        .hasMessageContaining("which process and which site");
  }
}
