// Cockpit configuration of the upgrade orchestrator (replaces the webjar's default config.js).
// customScripts are ES modules, relative to /camunda/app/cockpit/: the run history for managers
// (finished runs too, which Cockpit CE does not show), from GET /api/runs and /api/runs/{id}/report.
export default {
  customScripts: ['scripts/run-history.js'],
  app: {
    name: 'Cockpit',
    vendor: 'Upgrade orchestrator'
  }
};
