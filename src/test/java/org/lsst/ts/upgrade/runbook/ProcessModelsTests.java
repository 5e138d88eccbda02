package org.lsst.ts.upgrade.runbook;

import org.lsst.ts.upgrade.runbook.fullupgrade.FullUpgradeIds;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.Test;

/** The BPMN files in {@code processes/} are what {@link ProcessModels} builds, and they are valid. */
class ProcessModelsTests {
  private static final Path DIR = Path.of("processes");

  @Test
  void committedFilesMatchTheModels() throws Exception {
    if (Boolean.getBoolean("processes.regenerate")) {
      ProcessModels.writeAll(DIR);
    }
    for (var e : ProcessModels.all().entrySet()) {
      Path f = ProcessModels.file(DIR, e.getKey());
      assertThat(f).exists();
      assertThat(Files.readString(f)).as(f + " is stale: regenerate with -Dprocesses.regenerate=true")
          .isEqualTo(ProcessModels.xml(e.getValue()));
      Bpmn.validateModel(Bpmn.readModelFromFile(f.toFile()));
    }
  }

  @Test
  void theLongStepsOfTheCleanUpBranchesRunSideBySideAndNoticesDoNot() throws Exception {
    var m = Bpmn.readModelFromFile(ProcessModels.file(DIR, FullUpgradeIds.KEY).toFile());
    for (String id : new String[] {FullUpgradeIds.STOP_CAMERA_BRIDGES, FullUpgradeIds.SHUTDOWN_BARE_METAL,
        FullUpgradeIds.CLEANUP_KUBERNETES, FullUpgradeIds.CLEANUP_NUBLADO}) {
      org.camunda.bpm.model.bpmn.instance.ServiceTask t = m.getModelElementById(id);
      assertThat(t.isCamundaExclusive()).as(id).isFalse();
      assertThat(t.isCamundaAsyncAfter()).as(id).isTrue();
    }
    org.camunda.bpm.model.bpmn.instance.ServiceTask notice = m.getModelElementById(FullUpgradeIds.NOTIFY_STAGE1);
    assertThat(notice.isCamundaExclusive()).isTrue();
  }
}
