package org.lsst.ts.upgrade.security;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a missing admin password into a short, actionable startup report instead of a stack trace. */
class MissingAdminPasswordFailureAnalyzer extends AbstractFailureAnalyzer<MissingAdminPasswordException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, MissingAdminPasswordException cause) {
    return new FailureAnalysis(cause.getMessage(),
        "Set UPGRADE_ADMIN_PASSWORD to the administrator's password (e.g. from your secret store), or run"
            + " the rehearsal profile (the default) which creates demo users instead.",
        cause);
  }
}
