package org.lsst.ts.upgrade.runbook.notices;

import static org.lsst.ts.upgrade.runbook.RunVariables.*;

import java.util.function.Supplier;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.lsst.ts.upgrade.chat.Notifier;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.Sites;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * A run that ends failed says so on the site's channel, as an abort does: the {@code start}
 * listener of a "Failed: …" end event ({@code camunda:asyncBefore}, so the post runs in its own job
 * with retries, never in the transaction of the step before). Names the end event and, when there
 * are, the CSCs not in working order and the last script's message.
 */
@Component
public class AnnounceRunFailed implements ExecutionListener {
  private final Supplier<Notifier> notifier;
  private final Sites sites;

  AnnounceRunFailed(ObjectProvider<Notifier> notifier, Sites sites) {
    this.notifier = notifier::getIfAvailable;
    this.sites = sites;
  }

  @Override
  public void notify(DelegateExecution execution) {
    RunVariables v = RunVariables.of(execution);
    Site site = sites.require(v.site());
    Notifier.Delivery d = PostNotice.post(notifier, site.id(), null, text(v, site,
        execution.getCurrentActivityName() == null ? execution.getCurrentActivityId() : execution.getCurrentActivityName()),
        v.runId(), "FAILED", true, true);
    if (d == null || !d.delivered()) {
      PostNotice.listUndelivered(v, "FAILED", d);
    }
  }

  static String text(RunVariables v, Site site, String end) {
    StringBuilder s = new StringBuilder(":x: " + v.stringOr(CYCLE, "run") + " on " + site.displayName() + " (run "
        + v.runId() + ") ended: " + end + ". Check the site's state before using it.");
    if (v.has(AWAIT_SATISFIED) && !v.flag(AWAIT_SATISFIED) && !v.list(AWAIT_LAGGARDS).isEmpty()) {
      s.append("\n- CSCs not in working order: ").append(String.join("; ", v.list(AWAIT_LAGGARDS)));
    }
    if (v.has(SCRIPT_SUCCEEDED) && !v.flag(SCRIPT_SUCCEEDED)) {
      s.append("\n- last script failed: ").append(v.stringOr(SCRIPT_MESSAGE, ""));
    }
    if (v.has(MINIMAL_TESTING_REPORT_VAR)) {
      s.append("\n- minimal testing: ").append(v.stringOr(MINIMAL_TESTING_REPORT_VAR, ""));
    }
    return s.toString();
  }

  private static final String MINIMAL_TESTING_REPORT_VAR = "minimalTestingReport";
}
