package org.lsst.ts.upgrade.runbook.notices;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which forms get buttons in Slack, and which are decided in Tasklist only (the real forms). */
class FormChoicesTests {
  private final FormChoices forms = new FormChoices();

  private FormChoices.Shape shape(String id) {
    return forms.of(id).orElseThrow(() -> new AssertionError("no form " + id));
  }

  @Test
  void aSmallSelectGetsAButtonPerOptionButAnOptionWithAReasonOfItsOwnStaysInTasklist() {
    assertThat(shape("sync-failed").choices()).extracting(FormChoices.Choice::id).containsExactly("retry", "skip");
    assertThat(shape("sync-failed").choice("retry").orElseThrow().values()).isEqualTo(Map.of("syncDecision", "retry"));
    // abort needs its reason, an override its justification
    assertThat(shape("fix-held-states").choices()).extracting(FormChoices.Choice::id).containsExactly("checkAgain");
    assertThat(shape("approve-plan").choices()).extracting(FormChoices.Choice::id).containsExactly("approve");
    assertThat(shape("cleanup-leftovers").choices()).extracting(FormChoices.Choice::id).containsExactly("retry", "continue");
  }

  @Test
  void aFailedHostStepOffersRetryInSlackAndDoneByHandOrAbortInTasklistWhereTheirNoteIs() {
    assertThat(shape("host-step-failed").choices()).extracting(FormChoices.Choice::id).containsExactly("retry");
    assertThat(shape("host-step-overdue").choices()).extracting(FormChoices.Choice::id).containsExactly("wait", "stop");
  }

  @Test
  void aRequiredConfirmationGetsOneButtonThatSaysWhatIsConfirmedAndNoNo() {
    var phalanx = shape("confirm-phalanx-merged");
    assertThat(phalanx.choices()).hasSize(1);
    assertThat(phalanx.choices().get(0).label()).isEqualTo("✓ The Phalanx PR is merged");
    assertThat(phalanx.choices().get(0).values()).isEqualTo(Map.of("phalanxMerged", true));
  }

  @Test
  void optionalCheckboxesGetYesAndNoNotesDoNotPreventButtons() {
    var images = shape("minimal-testing-maintel-images");
    assertThat(images.choices()).extracting(FormChoices.Choice::id).containsExactly("yes", "no");
    assertThat(images.choice("yes").orElseThrow().values())
        .isEqualTo(Map.of("maintelImagesIngested", true, "maintelRubinTvOk", true));
    assertThat(images.choice("no").orElseThrow().values())
        .isEqualTo(Map.of("maintelImagesIngested", false, "maintelRubinTvOk", false));
    assertThat(images.fields()).containsKeys("maintelImagesIngested", "maintelRubinTvOk", "maintelImagesNotes");
  }

  @Test
  void theFormTextBecomesAShortSlackMessage() {
    String text = FormChoices.mrkdwn("## Configuration: Phalanx\n**{{cycle}}** on [GitHub](https://github.com/x?a=1&b=2)",
        Map.of("cycle", "Cycle 40"), 200);
    assertThat(text).isEqualTo("*Configuration: Phalanx*\n*Cycle 40* on <https://github.com/x?a=1&amp;b=2|GitHub>");
    assertThat(FormChoices.mrkdwn("x".repeat(50), Map.of(), 10)).hasSize(10).endsWith("…");
    assertThat(FormChoices.placeholders("{{a}} and {{ b }}")).containsExactly("a", "b");
  }
}
