/**
 * The run API ({@code /api/runs}) and the Slack slash command's run requests: the one door into a
 * run. Other modules (history, the rehearsal twin) read runs through {@link org.lsst.ts.upgrade.runbook.runs.Runs}.
 */
@org.springframework.modulith.NamedInterface("runs")
package org.lsst.ts.upgrade.runbook.runs;
