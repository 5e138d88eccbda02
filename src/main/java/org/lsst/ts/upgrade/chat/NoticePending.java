package org.lsst.ts.upgrade.chat;

/**
 * Published (a Spring application event) when a notice of the site could not be posted and was
 * kept for a retry: whoever retries notices (the engine's job, in {@code runbook.notices}) makes
 * sure a retry of the site is due.
 */
public record NoticePending(String site) {}
