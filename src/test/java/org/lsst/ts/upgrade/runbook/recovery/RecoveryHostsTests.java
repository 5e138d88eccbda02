package org.lsst.ts.upgrade.runbook.recovery;

import org.lsst.ts.upgrade.runbook.RunVariables;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.RehearsalTest;
import org.lsst.ts.upgrade.hosts.RemoteHosts;
import org.lsst.ts.upgrade.rehearsal.ActionLog;
import org.lsst.ts.upgrade.rehearsal.FaultRegistry;
import org.lsst.ts.upgrade.rehearsal.TwinSshHosts;
import org.lsst.ts.upgrade.site.Sites;
import org.springframework.beans.factory.annotation.Autowired;

/** The reboot steps of os-k8s-recovery with the real SSH client against the twin's azar02. */
@RehearsalTest
class RecoveryHostsTests {
  private static final String SUMMIT = "summit";

  @Autowired RemoteHosts hosts;
  @Autowired Sites sites;
  @Autowired TwinSshHosts twin;
  @Autowired ActionLog actions;
  @Autowired FaultRegistry faults;

  private final List<Long> injected = new ArrayList<>();

  @AfterEach
  void cleanUp() {
    injected.forEach(faults::remove);
    twin.reset(SUMMIT);
  }

  @Test
  void azar02IsBackOnlyWhenItAnswersWithANewBootIdAndARetriedRebootDoesNotRebootAgain() throws Exception {
    RecoveryHosts recovery = new RecoveryHosts();
    JavaDelegate reboot = recovery.rebootHost(hosts, sites);
    JavaDelegate check = recovery.checkHostBack(hosts, sites);
    String instance = "recovery-" + System.nanoTime();
    Map<String, Object> start = Map.of(RunVariables.SITE, SUMMIT, RecoverSummitHostsIds.VAR_REBOOT_HOST, RecoverSummitHostsIds.AZAR02,
        RecoverSummitHostsIds.VAR_HOST_BACK_TIMEOUT, "PT10M");

    // answering with the boot id it has now is not "back": it may not have gone down yet
    Map<String, Object> notRebooted = new HashMap<>(start);
    notRebooted.put(RecoverSummitHostsIds.VAR_REBOOT_BOOT_ID, twin.bootId(SUMMIT, RecoverSummitHostsIds.AZAR02));
    check.execute(execution(instance, notRebooted));
    assertThat(notRebooted.get(RecoverSummitHostsIds.VAR_HOST_BACK)).isEqualTo(false);

    long reboots = reboots();
    injected.add(faults.inject(SUMMIT, "ssh", RecoverSummitHostsIds.AZAR02, "slow", Map.of("millis", "3000"), 1).id());
    Map<String, Object> vars = new HashMap<>(start);
    DelegateExecution execution = execution(instance, vars);
    reboot.execute(execution);
    String before = (String) vars.get(RecoverSummitHostsIds.VAR_REBOOT_BOOT_ID);
    assertThat(before).matches("[0-9a-f-]{36}");
    assertThat(reboots()).isEqualTo(reboots + 1);
    assertThat(twin.isUp(SUMMIT, RecoverSummitHostsIds.AZAR02)).isFalse();
    assertThat(vars.get(RecoverSummitHostsIds.VAR_REBOOT_HOST_RESULT)).asString().startsWith("azar02: ok")
        .contains("$ " + RemoteHosts.REBOOT).contains(before);

    check.execute(execution);
    assertThat(vars.get(RecoverSummitHostsIds.VAR_HOST_BACK)).isEqualTo(false);
    assertThat(vars.get(RecoverSummitHostsIds.VAR_HOST_BACK_TIMED_OUT)).isEqualTo(false);
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      check.execute(execution);
      return Boolean.TRUE.equals(vars.get(RecoverSummitHostsIds.VAR_HOST_BACK));
    });
    assertThat(twin.isUp(SUMMIT, RecoverSummitHostsIds.AZAR02)).isTrue();
    assertThat(twin.bootId(SUMMIT, RecoverSummitHostsIds.AZAR02)).isNotEqualTo(before);

    // the step's job retried with its variables rolled back (say its commit failed): not rebooted again
    Map<String, Object> retried = new HashMap<>(start);
    reboot.execute(execution(instance, retried));
    assertThat(reboots()).isEqualTo(reboots + 1);
    assertThat(retried.get(RecoverSummitHostsIds.VAR_REBOOT_BOOT_ID)).isEqualTo(before);
    assertThat(retried.get(RecoverSummitHostsIds.VAR_REBOOT_HOST_RESULT)).asString().contains("not rebooted again")
        .doesNotContain("$ " + RemoteHosts.REBOOT);
    check.execute(execution(instance, retried));
    assertThat(retried.get(RecoverSummitHostsIds.VAR_HOST_BACK)).isEqualTo(true);
  }

  private long reboots() {
    return actions.actions(SUMMIT).stream().filter(a -> a.system().equals("ssh") && a.action().equals("reboot")
        && a.target().equals(SUMMIT + "/" + RecoverSummitHostsIds.AZAR02)).count();
  }

  /** An execution of the process instance whose variables are {@code vars}. */
  private static DelegateExecution execution(String processInstanceId, Map<String, Object> vars) {
    DelegateExecution e = mock(DelegateExecution.class);
    when(e.getProcessInstanceId()).thenReturn(processInstanceId);
    when(e.getVariable(anyString())).thenAnswer(inv -> vars.get(inv.<String>getArgument(0)));
    doAnswer(inv -> vars.put(inv.getArgument(0), inv.getArgument(1))).when(e).setVariable(anyString(), any());
    return e;
  }
}
