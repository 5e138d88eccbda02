package org.lsst.ts.upgrade.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chaos benchmark's fast version (issue 14.5), in the suite: a TTS full upgrade against the
 * standalone twin, the orchestrator (production profile, H2 file) killed with SIGKILL three times —
 * as the CSCs are sent OFFLINE, during the clean-up, during the redeploy — and restarted on the
 * same database each time. The run goes on after every restart and completes at its normal end,
 * every CSC ends as after a deployment, and no side effect that must never repeat (a LOVE script
 * add, a host reboot, a launch or shutdown on a host, a namespace deletion) ran twice for one
 * logical step ({@link SideEffects}). {@link ChaosBenchmark} is the full one (Summit, ten kills).
 * Failsafe runs it after the package phase; without the jar it skips, except under CI.
 */
class ChaosTests {

  @Test
  void aRunKilledThreeTimesCompletesWithNoSideEffectTwice(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir)
      throws Exception {
    Jvms.jar();
    ChaosRun.Result r = new ChaosRun(dir, "tts", Duration.ofSeconds(20), 0.01).run(List.of(
        new ChaosRun.Kill("send-cscs-offline", Duration.ofMillis(300)),
        new ChaosRun.Kill("shut-down-and-clean-up", Duration.ofMillis(500)),
        new ChaosRun.Kill("redeploy", Duration.ofMillis(800))));
    String report = r.report();
    System.out.print(report);
    Files.writeString(dir.resolve("chaos.txt"), report);
    assertThat(r.kills()).as(report).hasSize(3).allSatisfy(k -> assertThat(k.wentOn()).as(report).isTrue());
    assertThat(r.incidents()).as(report).isEmpty();
    assertThat(r.completed()).as(report).isTrue();
    assertThat(r.finalStateProblems()).as(report).isEmpty();
    assertThat(r.duplicates()).as(report).isZero();
    // TTS reboots no host in a full upgrade: the other three kinds happened, and were counted
    assertThat(r.sideEffects()).as(report).filteredOn(c -> !c.kind().equals("host reboot"))
        .allSatisfy(c -> assertThat(c.steps()).as(c.kind()).isPositive());
  }
}
