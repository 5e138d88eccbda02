package org.lsst.ts.upgrade.runbook.preflight;

import static org.lsst.ts.upgrade.runbook.preflight.PreflightIds.*;

import java.util.List;
import java.util.Map;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.runs.RunPlanner.Section;
import org.springframework.stereotype.Component;

/**
 * The run's plan, from the site file and the live systems (reads only), as text per section for
 * the "Approve the plan" task.
 */
@Component
public class BuildPlan implements JavaDelegate {
  private final RunPlanBuilder plans;

  public BuildPlan(RunPlanBuilder plans) {
    this.plans = plans;
  }

  @Override
  public void execute(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    String process = CheckAccess.runOf(execution).getProcessDefinition().getKey();
    Map<String, Object> start = execution.getVariables();
    var planned = plans.planned(process, start, execution.getProcessEngineServices().getRepositoryService(), true);
    List<Section> sections = planned.plan().sections();
    List<String> names = List.of(VAR_PLAN_RUN, VAR_PLAN_SCRIPTS, VAR_PLAN_KUBERNETES, VAR_PLAN_ARGOCD, VAR_PLAN_HOSTS,
        VAR_PLAN_NOTICES, VAR_PLAN_MONITOR);
    for (String name : names) {
      v.set(name, "- (none)");
    }
    for (Section s : sections) {
      String name = switch (s.title()) {
        case RunPlanBuilder.RUN -> VAR_PLAN_RUN;
        case RunPlanBuilder.SCRIPTS -> VAR_PLAN_SCRIPTS;
        case RunPlanBuilder.KUBERNETES -> VAR_PLAN_KUBERNETES;
        case RunPlanBuilder.ARGOCD -> VAR_PLAN_ARGOCD;
        case RunPlanBuilder.HOSTS -> VAR_PLAN_HOSTS;
        case RunPlanBuilder.NOTICES -> VAR_PLAN_NOTICES;
        default -> VAR_PLAN_MONITOR;
      };
      v.set(name, s.lines().isEmpty() ? "- (none)" : "- " + String.join("\n- ", s.lines()));
    }
    // the decision is the person's: never carried over from an earlier pass
    v.set(VAR_PLAN_DECISION, null);
  }
}
