package org.lsst.ts.upgrade.csc;

import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.SummaryState;
import java.time.Duration;
import java.time.Instant;

/**
 * What the monitor knows of one CSC instance.
 *
 * @param reportedState last summaryState event seen (UNKNOWN if none)
 * @param heartbeatAge time since the last heartbeat, or null if none was ever seen
 * @param effectiveState OFFLINE when reported OFFLINE or when the heartbeat has stopped (and the
 *     broker answered since it was due); otherwise the reported state; UNKNOWN until the history
 *     read is done, and while the monitor is blind ({@link CscStates#blindness})
 * @param lastUpdate time of the last event of either kind, or null
 */
public record CscStatus(
    CscId id,
    SummaryState reportedState,
    Duration heartbeatAge,
    SummaryState effectiveState,
    Instant lastUpdate) {}
