package org.lsst.ts.upgrade.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lsst.ts.upgrade.metrics.StartupReport.Step;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.core.metrics.StartupStep;

/**
 * The startup report's arithmetic on a made-up timeline (fixed instants, no clock): a bean is ranked
 * by its own time, without the beans and steps inside it, the ten slowest only; the application's
 * own steps name the bean they ran in.
 */
class StartupReportTests {
  static final Instant JVM = Instant.parse("2026-12-03T12:00:00Z");
  final List<Step> steps = new ArrayList<>();

  Step step(long id, Long parent, String name, Map<String, String> tags, double from, double to) {
    Step s = new Step(id, parent, name, tags, at(from), at(to));
    steps.add(s);
    return s;
  }

  Step bean(long id, Long parent, String bean, double from, double to) {
    return step(id, parent, "spring.beans.instantiate", Map.of("beanName", bean), from, to);
  }

  static Instant at(double seconds) {
    return JVM.plusMillis(Math.round(seconds * 1000));
  }

  @Test
  void ranksBeansByTheirOwnTimeAndPlacesTheApplicationsSteps() {
    step(1, null, "spring.context.refresh", Map.of(), 2, 14);
    // twinKafka lasts 6 s, but 5 s of it is its broker and topics: own time 1 s
    bean(2, 1L, "twinKafka", 3, 9);
    step(3, 2L, "upgrade.twin.kafka-broker", Map.of(), 3, 5);
    step(4, 2L, "upgrade.twin.topics", Map.of("topics", "249"), 5, 8);
    // the engine: 4 s, of which 0.5 s for a bean it needed
    bean(5, 1L, "processEngineFactoryBean", 9, 13);
    bean(6, 5L, "dataSource", 9, 9.5);
    for (int i = 0; i < 12; i++) {
      bean(10 + i, 1L, "small" + i, 13 + i * 0.05, 13 + i * 0.05 + 0.01 * (i + 1));
    }

    List<String> lines = StartupReport.lines(steps, JVM, at(15));

    assertThat(lines).first().isEqualTo("JVM start to context refresh start: 2.00 s (JVM, Spring Boot's environment and logging)");
    assertThat(lines).contains(
        "context refresh: 12.00 s, of which bean instantiation 10.78 s (the rest: configuration parsing, web server and lifecycle start)",
        "slowest bean 1: processEngineFactoryBean 3.50 s own (4.00 s with the beans and steps inside it)",
        "slowest bean 2: twinKafka 1.00 s own (6.00 s with the beans and steps inside it)",
        "slowest bean 3: dataSource 0.50 s own (0.50 s with the beans and steps inside it)",
        "upgrade.twin.kafka-broker 2.00 s (in bean twinKafka)",
        "upgrade.twin.topics 3.00 s, topics=249 (in bean twinKafka)",
        "context refresh end to ready: 1.00 s");
    assertThat(lines).filteredOn(l -> l.startsWith("slowest bean ")).hasSize(10)
        .last().asString().startsWith("slowest bean 10: small5 0.06 s own");
    assertThat(lines).last().isEqualTo("JVM start to ready: 15.00 s (18 startup steps recorded)");
  }

  @Test
  void readsSpringsOwnTimeline() {
    BufferingApplicationStartup startup = new BufferingApplicationStartup(100);
    StartupStep refresh = startup.start("spring.context.refresh");
    StartupStep bean = startup.start("spring.beans.instantiate").tag("beanName", "twinKafka");
    startup.start("upgrade.twin.topics").tag("topics", "3").end();
    bean.end();
    refresh.end();

    List<Step> recorded = startup.getBufferedTimeline().getEvents().stream().map(Step::of).toList();

    assertThat(recorded).extracting(Step::name)
        .containsExactly("upgrade.twin.topics", "spring.beans.instantiate", "spring.context.refresh");
    assertThat(recorded.get(0).parent()).isEqualTo(recorded.get(1).id());
    assertThat(recorded.get(0).tags()).containsEntry("topics", "3");
    assertThat(StartupReport.lines(recorded, JVM, Instant.now()))
        .anyMatch(l -> l.startsWith("upgrade.twin.topics ") && l.endsWith(", topics=3 (in bean twinKafka)"))
        .anyMatch(l -> l.startsWith("slowest bean 1: twinKafka "));
  }
}
