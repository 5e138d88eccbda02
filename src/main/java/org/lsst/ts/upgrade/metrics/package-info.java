/** Prometheus metrics of the runs and the engine ({@code /actuator/prometheus}, behind HTTP Basic for the scrape user). */
package org.lsst.ts.upgrade.metrics;
