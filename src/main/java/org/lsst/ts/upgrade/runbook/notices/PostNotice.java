package org.lsst.ts.upgrade.runbook.notices;

import org.lsst.ts.upgrade.runbook.RunVariables;
import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.chat.Notifier;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.Sites;
import org.springframework.stereotype.Component;

/**
 * Posts one of the run's notices (local input variable {@code noticeKind}) to the site's channel,
 * or the camera team's. The notifier never throws; a notice not delivered now is listed in
 * {@code undeliveredNotices} for the run's summary (once, with its time) and retried by the engine
 * ({@link NoticeRetryJobs}), which removes it from the list when it is delivered.
 */
@Component
public class PostNotice implements JavaDelegate {

  public enum Kind { START, CAMERA_STAGE1, CAMERA_STAGE2, UNHEALTHY_CSCS, NUBLADO_AVAILABLE, SUMMARY, ABORTED, SYNC_SKIPPED, NOT_ENABLED }

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(PostNotice.class);

  private final java.util.function.Supplier<Notifier> notifier;
  private final Sites sites;

  /** The notifier is looked up lazily: without one (no chat configured) notices are logged and listed as not delivered. */
  PostNotice(org.springframework.beans.factory.ObjectProvider<Notifier> notifier, Sites sites) {
    this.notifier = notifier::getIfAvailable;
    this.sites = sites;
  }

  /** Posts through the notifier if there is one; null when there is none. */
  public static Notifier.Delivery post(java.util.function.Supplier<Notifier> notifier, String site, String channel, String text) {
    Notifier n = notifier.get();
    if (n == null) {
      log.warn("No notifier: notice for {} not posted: {}", site, text);
      return new Notifier.Delivery(null, channel, false, "no notifier configured");
    }
    return n.post(site, channel, text);
  }

  /**
   * Posts one of the run's notices: {@code label} names it in the run's {@code undeliveredNotices},
   * {@code last} when it is the run's last word (summary, abort, failure: told even late).
   */
  public static Notifier.Delivery post(java.util.function.Supplier<Notifier> notifier, String site, String channel,
      String text, String runId, String label, boolean last) {
    return post(notifier, site, channel, text, runId, label, last, false);
  }

  /**
   * Like {@link #post(java.util.function.Supplier, String, String, String, String, String, boolean)};
   * {@code broadcast}: a reply in the run's Slack thread that the channel shows too.
   */
  public static Notifier.Delivery post(java.util.function.Supplier<Notifier> notifier, String site, String channel,
      String text, String runId, String label, boolean last, boolean broadcast) {
    Notifier n = notifier.get();
    if (n == null) {
      log.warn("No notifier: notice for {} not posted: {}", site, text);
      return new Notifier.Delivery(null, channel, false, "no notifier configured");
    }
    return n.post(site, channel, text, runId, label, last, broadcast);
  }

  /** Lists a notice not delivered at once in the run's {@code undeliveredNotices}, once. */
  public static void listUndelivered(RunVariables v, String label, Notifier.Delivery d) {
    String entry = d == null ? label + " (not delivered)" : Notifier.listed(label, d);
    if (!v.list(UNDELIVERED_NOTICES).contains(entry)) {
      v.append(UNDELIVERED_NOTICES, entry);
    }
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    Kind kind = Kind.valueOf(v.string(NOTICE_KIND));
    Site site = sites.require(v.site());
    String channel = kind == Kind.CAMERA_STAGE1 || kind == Kind.CAMERA_STAGE2
        ? (site.slack() == null ? null : site.slack().cameraTeamChannel()) : null;
    if (kind == Kind.UNHEALTHY_CSCS) {
      v.set(UNHEALTHY_CSCS, v.list(AWAIT_LAGGARDS));
    }
    boolean last = kind == Kind.SUMMARY || kind == Kind.ABORTED;
    Notifier.Delivery d = post(notifier, site.id(), channel, text(kind, v, site), v.runId(), kind.name(), last,
        broadcast(kind));
    if (d == null || !d.delivered()) {
      listUndelivered(v, kind.name(), d);
    }
  }

  /**
   * What the whole site must see at once, in the channel as well as in the run's thread: the
   * control system going down and usable again, the camera team's stages, the abort, the summary.
   * The rest (CSCs not in working order, a skipped sync, ...) stays in the thread.
   */
  static boolean broadcast(Kind kind) {
    return switch (kind) {
      case START, CAMERA_STAGE1, CAMERA_STAGE2, NUBLADO_AVAILABLE, SUMMARY, ABORTED -> true;
      case UNHEALTHY_CSCS, SYNC_SKIPPED, NOT_ENABLED -> false;
    };
  }

  static String text(Kind kind, RunVariables v, Site site) {
    String run = v.stringOr(CYCLE, "upgrade") + " on " + site.displayName() + " (run " + v.runId() + ")";
    return switch (kind) {
      case START -> ":construction: " + run + " starts now, run by " + v.stringOr(STARTED_BY, "an operator")
          + ". The control system is going down: please do not use it, nor Nublado, until told.";
      case CAMERA_STAGE1 -> ":camera: " + run + ": the camera OCS bridges are stopped. "
          + "The camera upgrade team may start Stage 1.";
      case CAMERA_STAGE2 -> ":camera: " + run + ": the control system is deployed. "
          + "The camera upgrade team may proceed to Stage 2.";
      case UNHEALTHY_CSCS -> ":warning: " + run + ": CSCs not in working order after the deployment:\n"
          + v.stringOr(AWAIT_LAGGARDS_TEXT, String.join("\n", v.list(AWAIT_LAGGARDS)));
      case NUBLADO_AVAILABLE -> ":white_check_mark: " + run + ": the deployment is done and no integration "
          + "testing follows: Nublado can be used again.";
      case SUMMARY -> summary(run, v);
      case ABORTED -> ":x: " + run + " was aborted by " + v.stringOr(ABORTED_BY, "an operator")
          + " at \"" + v.stringOr(ABORT_STEP, "?") + "\": " + v.stringOr(ABORT_REASON, "no reason given")
          + ". Check the site's state before using it.";
      case NOT_ENABLED -> ":warning: " + run + ": CSCs not in their final state after the enable script (the enable list ENABLED, held CSCs in their held state):\n"
          + v.stringOr(NOT_ENABLED_TEXT, String.join("\n", v.list(NOT_ENABLED_CSCS)));
      case SYNC_SKIPPED -> ":warning: " + run + ": the Argo CD sync of " + v.stringOr(APP, "?")
          + " failed and was skipped: " + v.stringOr(SYNC_FAILURE_TEXT, "");
    };
  }

  private static String summary(String run, RunVariables v) {
    StringBuilder s = new StringBuilder(":checkered_flag: " + run + " finished");
    Date started = v.date(STARTED_AT);
    if (started != null) {
      Duration d = Duration.between(started.toInstant(), Instant.now());
      s.append(" in ").append(String.format("%dh %02dm", d.toHours(), d.toMinutesPart()));
    }
    s.append(".");
    List<String> unhealthy = v.flag(AWAIT_SATISFIED) ? List.of() : v.list(AWAIT_LAGGARDS);
    s.append("\n- CSCs not healthy: ").append(unhealthy.isEmpty() ? "none" : String.join("; ", unhealthy));
    if (v.has(ENABLE_VERIFIED)) {
      List<String> notEnabled = v.flag(ENABLE_VERIFIED) ? List.of() : v.list(NOT_ENABLED_CSCS);
      s.append("\n- CSCs not ENABLED at the end: ").append(notEnabled.isEmpty() ? "none" : String.join("; ", notEnabled));
    }
    List<String> byHand = v.list(CSCS_HANDLED_BY_HAND);
    if (!byHand.isEmpty()) {
      s.append("\n- sent OFFLINE by hand: ").append(String.join("; ", byHand));
    }
    // host steps a person did by hand after they failed (RecordHostStepByHand, on the run)
    String hostStepsByHand = v.run().stringOr(HOST_STEPS_BY_HAND, "");
    if (!hostStepsByHand.isBlank()) {
      s.append("\n- host steps done by hand: ").append(String.join("; ", hostStepsByHand.split("\n")));
    }
    if (v.has(HELD_STATES_OVERRIDE_REASON) && !v.stringOr(HELD_STATES_OVERRIDE_REASON, "").isBlank()) {
      s.append("\n- held-state check overridden: ").append(v.string(HELD_STATES_OVERRIDE_REASON));
    }
    String failedScripts = v.run().stringOr(SCRIPT_FAILURES, "");
    s.append("\n- scripts failed: ").append(failedScripts.isBlank() ? "none" : String.join("; ", failedScripts.split("\n")));
    if (v.flag(COMPATIBILITY_RELAXED)) {
      s.append("\n- schema compatibility: ").append(v.flag(COMPATIBILITY_RESTORED)
          ? "restored to " + v.stringOr(RECORDED_COMPATIBILITY, "?") : "NOT restored");
    }
    List<String> undelivered = v.list(UNDELIVERED_NOTICES);
    s.append("\n- notices not delivered: ").append(undelivered.isEmpty() ? "none" : String.join(", ", undelivered));
    return s.toString();
  }
}
