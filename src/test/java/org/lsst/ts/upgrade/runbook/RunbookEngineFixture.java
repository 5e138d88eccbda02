package org.lsst.ts.upgrade.runbook;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.impl.cfg.StandaloneInMemProcessEngineConfiguration;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.spin.plugin.impl.SpinProcessEnginePlugin;

/**
 * An in-memory engine for fast process tests: no job executor (the test drives the jobs), full
 * history, Spin for JSON variables, and delegate beans resolved from {@link #beans}.
 */
public final class RunbookEngineFixture {
  public final Map<Object, Object> beans = new HashMap<>();
  public final ProcessEngine engine;

  public RunbookEngineFixture() {
    StandaloneInMemProcessEngineConfiguration cfg = new StandaloneInMemProcessEngineConfiguration();
    String name = "runbook-" + UUID.randomUUID();
    cfg.setProcessEngineName(name);
    cfg.setJdbcUrl("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
    cfg.setDatabaseSchemaUpdate("create-drop");
    cfg.setHistory("full");
    cfg.setJobExecutorActivate(false);
    cfg.setEnforceHistoryTimeToLive(true);
    cfg.setProcessEnginePlugins(List.of(new SpinProcessEnginePlugin()));
    cfg.setBeans(beans);
    engine = cfg.buildProcessEngine();
  }

  /**
   * Executes due and timer jobs (timers at once: the test does not wait for them) until the
   * process instances wait for people or end. Fails on a job that throws.
   */
  public void drive() {
    if (!drive(2000)) {
      throw new AssertionError("the process did not come to rest after 2000 jobs");
    }
  }

  /** Executes at most {@code max} jobs; true when none is left. */
  public boolean drive(int max) {
    for (int i = 0; i < max; i++) {
      List<Job> jobs = engine.getManagementService().createJobQuery().active().withRetriesLeft().list();
      if (jobs.isEmpty()) {
        return true;
      }
      engine.getManagementService().executeJob(jobs.get(0).getId());
    }
    return engine.getManagementService().createJobQuery().active().withRetriesLeft().count() == 0;
  }

  public boolean ended(ProcessInstance pi) {
    return engine.getHistoryService().createHistoricProcessInstanceQuery().processInstanceId(pi.getId())
        .finished().count() == 1;
  }

  public Object historicVariable(ProcessInstance pi, String name) {
    var v = engine.getHistoryService().createHistoricVariableInstanceQuery().processInstanceId(pi.getId())
        .variableName(name).singleResult();
    return v == null ? null : v.getValue();
  }

  public void close() {
    engine.close();
  }
}
