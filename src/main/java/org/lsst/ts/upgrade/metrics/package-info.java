/**
 * Prometheus metrics of the runs and the engine ({@code /actuator/prometheus}, behind HTTP Basic for
 * the scrape user), and the startup report ({@code upgrade.startup.report=true}: where the start went).
 */
package org.lsst.ts.upgrade.metrics;
