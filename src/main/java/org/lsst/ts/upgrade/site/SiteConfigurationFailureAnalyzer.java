package org.lsst.ts.upgrade.site;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** An invalid site file stops the application with its message alone, not a stack trace. */
class SiteConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<SiteConfigurationException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, SiteConfigurationException cause) {
    return new FailureAnalysis(cause.getMessage(),
        "Fix the site file (see the README's site file reference), or remove it from upgrade.sites-dir.", cause);
  }
}
