package org.lsst.ts.upgrade.csc;

import org.lsst.ts.upgrade.site.CscId;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

/**
 * Live CSC states of a site, learned from the summaryState and heartbeat events on Kafka. Never
 * blocks: processes poll {@link #snapshot} from timer loops, or register with {@link #await}.
 */
public interface CscStates {

  /** Current status of every CSC in the site's inventory (and any other instance heard). */
  List<CscStatus> snapshot(String site);

  /** Current status of the given instances, in the given order. */
  List<CscStatus> statusOf(String site, Collection<CscId> ids);

  /**
   * Why the monitor cannot see the site now, if it cannot: its consumer has not reached the site's
   * broker (no record, no answer) for longer than the heartbeat timeout. While blind, every CSC's
   * effective state is UNKNOWN, so no wait for OFFLINE ends because nothing is heard.
   */
  default Optional<String> blindness(String site) {
    return Optional.empty();
  }

  /**
   * Since when the monitor has seen the site's broker without a gap longer than the heartbeat
   * timeout (the start of its current stretch of contact); empty while it is blind or cannot tell.
   * Whatever was published on the site's Kafka before a gap and during it may never have been read.
   */
  default Optional<java.time.Instant> seeingSince(String site) {
    return Optional.empty();
  }

  /** True once the monitor has read the topics' recent history for the site. */
  boolean historyRead(String site);

  /**
   * Completes with the statuses when every given instance satisfies the condition, or with the
   * statuses at the deadline (then {@link AwaitResult#satisfied()} is false). Never blocks.
   * Completes exceptionally (an {@link IllegalStateException}) if the monitor stops first.
   */
  CompletableFuture<AwaitResult> await(
      String site, Collection<CscId> ids, Predicate<CscStatus> condition, Duration deadline);

  record AwaitResult(boolean satisfied, List<CscStatus> statuses) {}
}
