package org.lsst.ts.upgrade.chat;

import java.time.Instant;
import java.util.List;

/**
 * Notices to the site's Slack channel. Never throws: a notice that cannot be posted now is
 * retried in the background, and the returned delivery says it was not delivered (yet).
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

  /** Notices of the site (and run, unless null) not delivered yet, oldest first. */
  default List<Undelivered> undelivered(String site, String runId) {
    return List.of();
  }

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

  /** @param id a handle for the notice; {@code error} says why it was not delivered now */
  record Delivery(String id, String channel, boolean delivered, String error) {}

  /**
   * A notice still waiting for delivery.
   *
   * @param gaveUp true when the background retries are exhausted (it will not be sent any more)
   */
  record Undelivered(String id, String site, String runId, String channel, String text, int attempts,
      String lastError, Instant firstAttempt, boolean gaveUp) {}
}
