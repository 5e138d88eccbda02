package org.lsst.ts.upgrade.runbook.scripts;

import org.lsst.ts.upgrade.love.Love;
import org.lsst.ts.upgrade.love.LoveException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A script still running after {@code upgrade.runbook.scripts.timeout} is stopped: on a real
 * ScriptQueue the scripts added after it (stop tracking, standby) would otherwise wait behind it
 * for ever. Never throws: the hung script is already a recorded failure, and a stop that cannot be
 * sent (LOVE down) must not turn it into a step that retries and loops; the text says what happened.
 */
final class HungScripts {
  private static final Logger log = LoggerFactory.getLogger(HungScripts.class);

  private HungScripts() {}

  /** Added more than {@code timeout} ago on the engine's clock (the one its poll timers use). */
  static boolean timedOut(java.util.Date addedAt, java.time.Duration timeout) {
    return addedAt != null && java.time.Duration.between(addedAt.toInstant(),
        org.camunda.bpm.engine.impl.util.ClockUtil.getCurrentTime().toInstant()).compareTo(timeout) > 0;
  }

  /** Stops the script and says how that went, for the failure message ("...; it was stopped ..."). */
  static String stop(Love love, String site, int queue, int scriptIndex) {
    try {
      love.stopScript(site, queue, scriptIndex);
      return "it was stopped (cmd_stopScripts), so the queue goes on with the next script";
    } catch (LoveException.CommandTimeout | LoveException.Timeout e) {
      log.warn("Stopping hung script {} on ScriptQueue:{} at {} got no ack: {}", scriptIndex, queue, site, e.getMessage());
      return "cmd_stopScripts was sent but not acknowledged (" + e.getMessage() + "): check in LOVE that it"
          + " stopped, else stop it there so the scripts queued after it can run";
    } catch (RuntimeException e) {
      log.error("Could not stop hung script {} on ScriptQueue:{} at {}", scriptIndex, queue, site, e);
      return "it could not be stopped (" + e.getMessage() + "): stop it in LOVE, the scripts queued after it"
          + " wait behind it";
    }
  }
}
