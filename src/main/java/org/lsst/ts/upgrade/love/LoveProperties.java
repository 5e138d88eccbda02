package org.lsst.ts.upgrade.love;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code upgrade.love.*}.
 *
 * @param connectTimeout TCP connect timeout to LOVE-manager
 * @param requestTimeout how long one request may take; longer than LOVE's own 10 s command timeout
 *     so that LOVE's 504 is seen rather than a client timeout, and short enough that an add (tried at
 *     most twice, each followed by {@code addRecoveryWait}) stays well inside the 2-minute job lock
 * @param addRecoveryWait after a 504 on {@code cmd_add}: how long the script events are watched for
 *     the script before it is judged not added and added again
 * @param logLevel the script log level sent with {@code cmd_add} (20 = INFO)
 * @param showQueueCommand the ScriptQueue command that makes it publish its {@code queue} event again
 *     (ts_xml {@code showQueue}, no parameters); empty: not sent. Unverified against LOVE at a site
 * @param showScriptCommand the ScriptQueue command that makes it publish a script's {@code script}
 *     event again, with its final state for a script in its history (ts_xml {@code showScript},
 *     parameter {@code salIndex}); empty: not sent. Unverified against LOVE at a site
 */
@ConfigurationProperties("upgrade.love")
public record LoveProperties(
    @DefaultValue("5s") Duration connectTimeout,
    @DefaultValue("20s") Duration requestTimeout,
    @DefaultValue("10s") Duration addRecoveryWait,
    @DefaultValue("20") int logLevel,
    @DefaultValue("cmd_showQueue") String showQueueCommand,
    @DefaultValue("cmd_showScript") String showScriptCommand) {}
