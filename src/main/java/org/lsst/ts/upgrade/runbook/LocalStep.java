package org.lsst.ts.upgrade.runbook;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a delegate that reads variables and the site file only: it calls nothing outside the
 * engine, so it may run synchronously (a run's plan fails its start at once). Every other
 * service task is {@code asyncBefore} with a retry cycle (the conventions test checks both).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface LocalStep {}
