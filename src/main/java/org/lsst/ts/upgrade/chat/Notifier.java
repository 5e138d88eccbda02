package org.lsst.ts.upgrade.chat;

import java.time.Instant;
import java.util.List;

/**
 * Notices to the site's Slack channel. Never throws: a notice that cannot be posted now is kept in
 * the database and retried by the engine (a job, see {@link NoticePending}), and the returned
 * delivery says it was not delivered (yet). A notice delivered late is posted folded with the
 * others of its channel under "while Slack was unreachable", each with its original time.
 *
 * <p>A run's notices (those that name the run) form one Slack thread per channel: the run's first
 * message delivered to the channel (normally its start) is the thread's parent, every later one a
 * reply; a {@code broadcast} reply is also shown in the channel. When no parent could be posted,
 * the next notice delivered becomes it: threading never holds a notice back.
 */
public interface Notifier {

  /** Posts to the site's channel (channel null) or to the named channel. */
  Delivery post(String site, String channel, String text);

  /**
   * Like {@link #post(String, String, String)}, remembering the run (e.g. the process business
   * key) so that {@link #undelivered} can report the run's notices that did not get through.
   */
  default Delivery post(String site, String channel, String text, String runId) {
    return post(site, channel, text);
  }

  /**
   * Like {@link #post(String, String, String, String)}, naming the notice for the run's list of
   * notices not delivered ({@code label}, e.g. {@code START}) and saying whether it is the run's
   * last word ({@code last}: the summary, the abort, the failure). After an outage a notice of a run
   * that has ended is dropped — the run's summary lists it — unless it is the last word.
   */
  default Delivery post(String site, String channel, String text, String runId, String label, boolean last) {
    return post(site, channel, text, runId);
  }

  /**
   * Like {@link #post(String, String, String, String, String, boolean)}; {@code broadcast} when the
   * whole site must see it at once (the control system going down, the camera team's stages, the
   * abort, the failure, the summary): a reply in the run's thread that is also shown in the channel.
   */
  default Delivery post(String site, String channel, String text, String runId, String label, boolean last,
      boolean broadcast) {
    return post(site, channel, text, runId, label, last);
  }

  /** Notices of the site (and run, unless null) not delivered (yet, or ever), oldest first. */
  default List<Undelivered> undelivered(String site, String runId) {
    return List.of();
  }

  /** Every notice of the run that could not be posted at once, whatever became of it, oldest first. */
  default List<Undelivered> keptNotices(String runId) {
    return List.of();
  }

  /** The sites with notices waiting for a retry. */
  default List<String> sitesWithPendingNotices() {
    return List.of();
  }

  /**
   * One retry of the site's pending notices (the engine's job calls it): the notices of a run that
   * has ended ({@code runEnded}) are dropped unless they are its last word; the others are posted as
   * one message per channel, "while Slack was unreachable", each with its time.
   */
  default Retry retryPending(String site, java.util.function.Predicate<String> runEnded) {
    return new Retry(List.of(), List.of(), 0);
  }

  /**
   * What a retry did.
   *
   * @param delivered posted now (late)
   * @param dropped not posted: their run had ended
   * @param stillPending notices of the site left for the next retry
   */
  record Retry(List<Undelivered> delivered, List<Undelivered> dropped, int stillPending) {}

  /**
   * How a notice not delivered at once is listed in its run's {@code undeliveredNotices}: its label
   * and time, then why; {@link #listedPrefix} finds the entry again when its fate changes.
   */
  static String listed(String label, Delivery d) {
    return listedPrefix(label, d.at()) + " (" + (d.error() == null ? "not delivered" : d.error()) + ")";
  }

  static String listedPrefix(String label, Instant at) {
    return at == null ? label : label + " " + LISTED_TIME.format(at);
  }

  java.time.format.DateTimeFormatter LISTED_TIME = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'")
      .withZone(java.time.ZoneOffset.UTC);

  /**
   * The preflight's check of the site's Slack token ({@code auth.test}: posts nothing). Empty when
   * the token is valid, else what is wrong and what to do.
   */
  default java.util.Optional<String> accessProblem(String site) {
    return java.util.Optional.empty();
  }

  /**
   * Posts a Block Kit message ({@code blocks}: the JSON array; {@code text}: what notifications
   * show) once, without background retries: the caller falls back to {@link #post} when it was not
   * posted. Empty when not posted (the reason is logged).
   */
  default java.util.Optional<Posted> postBlocks(String site, String channel, String text, String blocks) {
    return java.util.Optional.empty();
  }

  /** Like {@link #postBlocks(String, String, String, String)}, in the run's thread of the channel (runId not null). */
  default java.util.Optional<Posted> postBlocks(String site, String channel, String text, String blocks, String runId) {
    return postBlocks(site, channel, text, blocks);
  }

  /** Replaces a message posted by {@link #postBlocks} ({@code chat.update}); false when not updated. */
  default boolean update(String site, Posted message, String text, String blocks) {
    return false;
  }

  /**
   * Answers an interaction through its {@code response_url} (an ephemeral message to the person
   * who clicked), off the caller's thread. Only Slack's own URLs (or the configured API's host) are
   * posted to.
   */
  default void respond(String responseUrl, String text) {}

  /** A posted message: the channel (Slack's id for it) and its timestamp, its id for updates. */
  record Posted(String channel, String ts) {}

  /**
   * @param id a handle for the notice; {@code error} says why it was not delivered now
   * @param at when it was first tried (null when it was never tried)
   */
  record Delivery(String id, String channel, boolean delivered, String error, Instant at) {
    public Delivery(String id, String channel, boolean delivered, String error) {
      this(id, channel, delivered, error, null);
    }
  }

  /**
   * A notice that could not be posted at once.
   *
   * @param gaveUp true when the retries are exhausted (it will not be sent any more)
   * @param state PENDING (retried), DELIVERED (late, at {@code done}), DROPPED (its run had ended:
   *     its summary lists it), GAVE_UP
   */
  record Undelivered(String id, String site, String runId, String channel, String text, int attempts,
      String lastError, Instant firstAttempt, boolean gaveUp, String label, String state, Instant done) {

    /** The entry of the run's {@code undeliveredNotices} for this notice, as it stands now (null once delivered). */
    public String listing() {
      String head = listedPrefix(label == null ? "NOTICE" : label, firstAttempt);
      return switch (state) {
        case "DELIVERED" -> null;
        case "DROPPED" -> head + " (not posted: the run had ended; Slack: " + lastError + ")";
        case "GAVE_UP" -> head + " (given up after " + attempts + " attempts: " + lastError + ")";
        default -> head + " (" + lastError + "; still retried)";
      };
    }
  }
}
