package org.lsst.ts.upgrade;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a browser test only when Debian's Chromium and its driver are installed; skipped with the
 * reason and the install command otherwise. Under CI ({@code CI=true}) it always runs, so a missing
 * browser fails the build (see {@link Binaries#require()}) instead of silently skipping.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresChromium.Condition.class)
public @interface RequiresChromium {

  Path CHROMIUM = Path.of("/usr/bin/chromium");
  Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  String INSTALL = "apt-get install -y chromium chromium-driver";

  /** The two binaries, checked where the test needs them. */
  final class Binaries {
    private Binaries() {}

    /** The binaries that are not there, empty when both are. */
    static List<Path> missing() {
      return Stream.of(CHROMIUM, CHROMEDRIVER).filter(p -> !Files.isExecutable(p)).toList();
    }

    /** Fails, naming what is missing and how to install it, when a binary is absent (the CI case). */
    public static void require() {
      List<Path> missing = missing();
      if (!missing.isEmpty()) {
        throw new IllegalStateException("browser tests need " + missing + ", not installed: run '" + INSTALL + "'");
      }
    }
  }

  class Condition implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        return ConditionEvaluationResult.enabled("CI=true: browser tests are mandatory");
      }
      List<Path> missing = Binaries.missing();
      return missing.isEmpty() ? ConditionEvaluationResult.enabled("Chromium and chromedriver installed")
          : ConditionEvaluationResult.disabled(missing + " not installed (" + INSTALL
              + "); skipped outside CI (set CI=true to make it mandatory)");
    }
  }
}
