package org.lsst.ts.upgrade.metrics;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.metrics.buffering.StartupTimeline.TimelineEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.metrics.ApplicationStartup;
import org.springframework.stereotype.Component;

/**
 * Where the start went ({@code upgrade.startup.report=true}, off by default): once the application
 * is ready, logs at INFO the time from the JVM's start to the context refresh, the refresh, the ten
 * slowest bean instantiations (own time: without the beans they create, which are ranked on their
 * own), the steps the application times itself ({@code upgrade.*}: the twin's Kafka broker, its
 * topics, its CSCs' first states) and the JVM's start to ready. It reads the timeline of Spring's
 * {@link BufferingApplicationStartup}, which {@code UpgradeOrchestratorApplication} installs.
 */
@Component
@ConditionalOnProperty(name = "upgrade.startup.report", havingValue = "true")
class StartupReport {
  private static final Logger log = LoggerFactory.getLogger(StartupReport.class);
  static final String PREFIX = "Startup report: ";
  private static final String BEAN = "spring.beans.instantiate";
  private static final String REFRESH = "spring.context.refresh";
  private static final int SLOWEST = 10;

  private final ApplicationStartup startup;

  StartupReport(ApplicationStartup startup) {
    this.startup = startup;
  }

  @EventListener(ApplicationReadyEvent.class)
  void report() {
    if (!(startup instanceof BufferingApplicationStartup buffering)) {
      log.info("{}Spring's startup steps are not recorded (no BufferingApplicationStartup): nothing to report", PREFIX);
      return;
    }
    Instant jvmStart = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
    List<Step> steps = buffering.getBufferedTimeline().getEvents().stream().map(Step::of).toList();
    lines(steps, jvmStart, Instant.now()).forEach(l -> log.info("{}{}", PREFIX, l));
  }

  /** A recorded (ended) startup step: Spring's {@link TimelineEvent}, in a form tests can make. */
  record Step(long id, Long parent, String name, Map<String, String> tags, Instant start, Instant end) {
    static Step of(TimelineEvent e) {
      Map<String, String> tags = new LinkedHashMap<>();
      e.getStartupStep().getTags().forEach(t -> tags.put(t.getKey(), t.getValue()));
      return new Step(e.getStartupStep().getId(), e.getStartupStep().getParentId(), e.getStartupStep().getName(), tags,
          e.getStartTime(), e.getEndTime());
    }

    Duration duration() {
      return Duration.between(start, end);
    }

    boolean isBean() {
      return BEAN.equals(name);
    }

    String bean() {
      return tags.getOrDefault("beanName", "?");
    }
  }

  /** The report's lines, from the recorded steps, the JVM's start and the ready time. */
  static List<String> lines(List<Step> steps, Instant jvmStart, Instant ready) {
    Map<Long, Step> byId = new HashMap<>();
    Map<Long, Duration> children = new HashMap<>();
    for (Step s : steps) {
      byId.put(s.id(), s);
      if (s.parent() != null) {
        children.merge(s.parent(), s.duration(), Duration::plus);
      }
    }
    List<String> out = new ArrayList<>();
    Step refresh = steps.stream().filter(s -> REFRESH.equals(s.name())).findFirst().orElse(null);
    if (refresh != null) {
      out.add("JVM start to context refresh start: " + seconds(Duration.between(jvmStart, refresh.start()))
          + " (JVM, Spring Boot's environment and logging)");
      // the outermost instantiations: a bean made for another is inside that one's time
      Duration beans = steps.stream().filter(s -> s.isBean() && !isBean(byId.get(s.parent())))
          .map(Step::duration).reduce(Duration.ZERO, Duration::plus);
      out.add("context refresh: " + seconds(refresh.duration()) + ", of which bean instantiation " + seconds(beans)
          + " (the rest: configuration parsing, web server and lifecycle start)");
    }
    List<Step> slowest = steps.stream().filter(Step::isBean)
        .sorted(Comparator.comparing((Step s) -> own(s, children)).reversed()).limit(SLOWEST).toList();
    for (int i = 0; i < slowest.size(); i++) {
      Step s = slowest.get(i);
      out.add("slowest bean " + (i + 1) + ": " + s.bean() + " " + seconds(own(s, children)) + " own ("
          + seconds(s.duration()) + " with the beans and steps inside it)");
    }
    for (Step s : steps) {
      if (s.name().startsWith("upgrade.")) {
        Step parent = byId.get(s.parent());
        StringBuilder line = new StringBuilder(s.name()).append(' ').append(seconds(s.duration()));
        s.tags().forEach((k, v) -> line.append(", ").append(k).append('=').append(v));
        if (isBean(parent)) {
          line.append(" (in bean ").append(parent.bean()).append(')');
        }
        out.add(line.toString());
      }
    }
    if (refresh != null) {
      out.add("context refresh end to ready: " + seconds(Duration.between(refresh.end(), ready)));
    }
    out.add("JVM start to ready: " + seconds(Duration.between(jvmStart, ready)) + " (" + steps.size() + " startup steps recorded)");
    return out;
  }

  private static boolean isBean(Step s) {
    return s != null && s.isBean();
  }

  /** Its duration without its child steps' (the beans it made, the steps timed inside it). */
  private static Duration own(Step s, Map<Long, Duration> children) {
    return s.duration().minus(children.getOrDefault(s.id(), Duration.ZERO));
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.2f s", d.toNanos() / 1e9);
  }
}
