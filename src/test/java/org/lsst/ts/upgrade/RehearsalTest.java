package org.lsst.ts.upgrade;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The whole application on the rehearsal twin, on a random port. Every test class that uses it
 * unchanged shares one application context (Spring's test context cache), so add no per-class
 * properties here: steer the twin through its control API instead.
 *
 * <p>No profile is chosen, exactly as {@code ./mvnw spring-boot:run} starts it: the twin runs
 * because rehearsal is the default profile ({@code spring.profiles.default}), which
 * {@link DefaultProfileTests} checks on this very context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public @interface RehearsalTest {}
