package org.lsst.ts.upgrade.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HostResultTests {

  @Test
  void theSummaryNamesHostAndExitStatusesAndKeepsOnlyTheFirstLines() {
    String longOutput = IntStream.rangeClosed(1, 500).mapToObj(i -> "line " + i).collect(Collectors.joining("\n"));
    HostResult r = new HostResult("azar03", false, List.of(
        new HostResult.CommandResult("sudo -iu dco ./shutdown_gc", 0, longOutput, "", Duration.ofSeconds(2)),
        new HostResult.CommandResult("sudo -iu dco ./launch_gc", 3, "", "x".repeat(5000) + "\nsecond", Duration.ZERO)),
        "'sudo -iu dco ./launch_gc' failed on summit/azar03: exit status 3");

    String s = r.summary(5);
    assertThat(s).startsWith("azar03: FAILED ('sudo -iu dco ./launch_gc' failed on summit/azar03: exit status 3)")
        .contains("$ sudo -iu dco ./shutdown_gc  -> exit 0\n  line 1\n").contains("  line 5\n  (495 more lines)")
        .doesNotContain("line 6\n").contains("$ sudo -iu dco ./launch_gc  -> exit 3\n  stderr: xxx")
        .contains("\n  stderr: second");
    assertThat(s.length()).isLessThan(1000);
  }
}
