package org.lsst.ts.upgrade;

import java.util.List;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.history.HistoricActivityInstance;

/** A run's history across its called processes (the stages and building blocks). */
public final class RunHistory {
  private RunHistory() {}

  /** Every activity instance of the run, its called processes' included, in the order they started. */
  public static List<HistoricActivityInstance> activities(HistoryService history, String rootProcessInstanceId) {
    return history.createNativeHistoricActivityInstanceQuery()
        .sql("SELECT * FROM ACT_HI_ACTINST WHERE ROOT_PROC_INST_ID_ = #{root} ORDER BY START_TIME_, SEQUENCE_COUNTER_")
        .parameter("root", rootProcessInstanceId).list();
  }

  /** The ids of {@link #activities}. */
  public static List<String> activityIds(HistoryService history, String rootProcessInstanceId) {
    return activities(history, rootProcessInstanceId).stream().map(HistoricActivityInstance::getActivityId).toList();
  }
}
