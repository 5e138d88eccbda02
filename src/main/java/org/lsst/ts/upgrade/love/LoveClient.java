package org.lsst.ts.upgrade.love;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.lsst.ts.upgrade.csc.CscId;
import org.lsst.ts.upgrade.csc.CscStates;
import org.lsst.ts.upgrade.csc.CscStatus;
import org.lsst.ts.upgrade.csc.SummaryState;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.Sites;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * {@link Love} over LOVE-manager's REST API. Script outcomes come from {@link ScriptEventStore}
 * (fed by the ScriptQueue events on Kafka); nothing here waits for a script.
 *
 * <p>Idempotent adds: the ScriptQueue publishes neither the {@code descr} nor the requester of a
 * script, only its index, path and states ({@code logevent_script}) and the queue's indices
 * ({@code logevent_queue}). So the tag is written into {@code descr} for the people watching LOVE,
 * remembered with the index once the add is acknowledged, and after a 504 the script is recognised
 * as the one script of the same path that appeared on the queue after the add was sent.
 */
@Component
class LoveClient implements Love, SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(LoveClient.class);
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9._:/-]{1,120}");

  private final LoveHttp http;
  private final ScriptEventStore events;
  private final ObjectProvider<CscStates> cscStates;
  private final LoveProperties properties;
  private final Clock clock = Clock.systemUTC();
  private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
  /** tag → index of the scripts this client added (per site and queue). */
  private final Map<String, Integer> added = new ConcurrentHashMap<>();
  private volatile boolean running;

  @org.springframework.beans.factory.annotation.Autowired
  LoveClient(Sites sites, LoveProperties properties, ScriptEventStore events, ObjectProvider<CscStates> cscStates,
      Environment environment) {
    this(new LoveHttp(sites, properties, (id, site) -> credentialsFrom(environment, id, site)), events, cscStates,
        properties);
  }

  LoveClient(LoveHttp http, ScriptEventStore events, ObjectProvider<CscStates> cscStates, LoveProperties properties) {
    this.http = http;
    this.events = events;
    this.cscStates = cscStates;
    this.properties = properties;
  }

  static LoveHttp.Credentials credentialsFrom(Environment env, String id, Site site) {
    Site.Credentials c = site.credentials();
    String userVar = c == null ? null : c.loveUsernameEnv();
    String passVar = c == null ? null : c.lovePasswordEnv();
    if (userVar == null || passVar == null) {
      throw new LoveException.MissingCredentials(id, "the site file names no love-username-env/love-password-env");
    }
    String user = env.getProperty(userVar);
    String pass = env.getProperty(passVar);
    if (user == null || user.isBlank() || pass == null || pass.isEmpty()) {
      throw new LoveException.MissingCredentials(id, "set the environment variables " + userVar + " and " + passVar
          + " to the LOVE user's name and password");
    }
    return new LoveHttp.Credentials(user, pass);
  }

  @Override
  public int addScript(String site, int queue, ScriptRequest request) {
    checkQueue(queue);
    validate(request);
    String tag = request.tag() == null ? UUID.randomUUID().toString() : request.tag();
    String key = site + "/" + queue + "/" + tag;
    Integer known = added.get(key);
    if (known != null) {
      log.info("Script tagged {} is already on ScriptQueue:{} at {} as {}", tag, queue, site, known);
      return known;
    }
    refuseIfNotEnabled(site, queue, true);
    Map<String, Object> params = addParams(request, tag);
    for (int attempt = 1; ; attempt++) {
      int mark = events.highestIndex(site, queue);
      Instant sent = clock.instant();
      try {
        String ack = http.command(site, "ScriptQueue", queue, "cmd_add", params);
        int index = parseIndex(site, queue, ack);
        added.put(key, index);
        log.info("Added {} (tag {}) to ScriptQueue:{} at {}: index {}", request.path(), tag, queue, site, index);
        return index;
      } catch (LoveException.CommandTimeout | LoveException.Timeout e) {
        // the add may have gone through: look for it before adding again, so it never runs twice
        Optional<Integer> found = findAdded(site, queue, request, mark, sent);
        if (found.isPresent()) {
          added.put(key, found.get());
          log.warn("{}; the script was added nonetheless: index {}", e.getMessage(), found.get());
          return found.get();
        }
        if (attempt >= 2) {
          throw e;
        }
        log.warn("{}; the script is not on ScriptQueue:{}: adding it again", e.getMessage(), queue);
      } catch (LoveException.CommandFailed e) {
        refuseIfNotEnabled(site, queue, false);
        // a bad path fails the add itself (a bad config fails later, as CONFIGURE_FAILED)
        throw new LoveException.CommandFailed(site, e.status(), "adding " + request.path() + " to ScriptQueue:"
            + queue + " was refused (is the path a " + (request.standard() ? "standard" : "external")
            + " script?): " + e.getMessage());
      }
    }
  }

  @Override
  public Optional<ScriptOutcome> outcome(String site, int queue, int scriptIndex) {
    return events.outcome(site, queue, scriptIndex);
  }

  @Override
  public CompletableFuture<ScriptOutcome> whenDone(String site, int queue, int scriptIndex) {
    return events.whenDone(site, queue, scriptIndex);
  }

  @Override
  public void resumeQueue(String site, int queue) {
    checkQueue(queue);
    http.command(site, "ScriptQueue", queue, "cmd_resume", Map.of());
    log.info("Resumed ScriptQueue:{} at {}", queue, site);
  }

  @Override
  public String command(String site, CscId csc, String cmd, Map<String, Object> params) {
    if (cmd == null || !cmd.matches("cmd_[a-zA-Z][a-zA-Z0-9_]{0,63}")) {
      throw new IllegalArgumentException("'" + cmd + "' is not a SAL command name (cmd_start, cmd_enable, ...)");
    }
    return http.command(site, csc.component(), csc.salIndex(), cmd, params == null ? Map.of() : params);
  }

  /** The config as YAML, rendered by the YAML library from typed values. */
  String configYaml(Map<String, Object> config) {
    if (config == null || config.isEmpty()) {
      return "";
    }
    try {
      return yaml.writeValueAsString(config);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the script configuration cannot be written as YAML: " + e.getMessage(), e);
    }
  }

  private Map<String, Object> addParams(ScriptRequest request, String tag) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("isStandard", request.standard());
    p.put("path", request.path());
    p.put("config", configYaml(request.config()));
    String d = request.description() == null ? "" : request.description().replaceAll("\\p{Cntrl}", " ").trim();
    p.put("descr", (d.isEmpty() ? "" : d + " ") + "[tag:" + tag + "]");
    p.put("location", 2); // LAST
    p.put("logLevel", properties.logLevel());
    p.put("pauseCheckpoint", "");
    p.put("stopCheckpoint", "");
    return p;
  }

  private Optional<Integer> findAdded(String site, int queue, ScriptRequest request, int mark, Instant sent) {
    long deadline = System.nanoTime() + properties.addRecoveryWait().toNanos();
    while (true) {
      String prefix = site + "/" + queue + "/";
      List<ScriptEvent> candidates = events.newScripts(site, queue, request.path(), request.standard(), mark, sent)
          .stream().filter(e -> added.entrySet().stream().noneMatch(a -> a.getKey().startsWith(prefix)
              && a.getValue() == e.scriptSalIndex())).toList();
      if (candidates.size() == 1) {
        return Optional.of(candidates.get(0).scriptSalIndex());
      }
      if (candidates.size() > 1) {
        throw new LoveException.AmbiguousAdd(site, "after a timed-out add of " + request.path() + " ScriptQueue:"
            + queue + " shows several new scripts of that path " + candidates.stream().map(ScriptEvent::scriptSalIndex)
            .toList() + ": check the queue in LOVE and stop the extra ones");
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return Optional.empty();
      }
      // bounded wait for the queue's event, woken by the store on every event (no polling sleep)
      CompletableFuture<Void> changed = new CompletableFuture<>();
      Runnable wake = () -> changed.complete(null);
      events.onChange(wake);
      try {
        changed.get(Math.min(left, Duration.ofMillis(200).toNanos()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException e) {
        // look again
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      } finally {
        events.removeOnChange(wake);
      }
    }
  }

  /** A distinct error when the queue is known not to be ENABLED (from its events or the CSC monitor). */
  private void refuseIfNotEnabled(String site, int queue, boolean before) {
    Optional<QueueEvent> q = events.queue(site, queue);
    CscStates states = cscStates.getIfAvailable();
    SummaryState state = null;
    if (states != null && states.historyRead(site)) {
      List<CscStatus> s = states.statusOf(site, List.of(CscId.of("ScriptQueue", queue)));
      state = s.isEmpty() ? null : s.get(0).effectiveState();
    }
    boolean notEnabled = (state != null && state != SummaryState.ENABLED && state != SummaryState.UNKNOWN)
        || (state == null && q.isPresent() && !q.get().enabled());
    if (notEnabled) {
      String seen = state != null ? state.name() : "not enabled (its queue event)";
      throw new LoveException.QueueNotEnabled(site, queue, "ScriptQueue:" + queue + " is " + seen
          + (before ? ": it accepts no script" : ": it refused the script")
          + "; bring it to ENABLED (set_summary_state.py from another queue, or cmd_start/cmd_enable)");
    }
  }

  private static int parseIndex(String site, int queue, String ack) {
    String a = ack == null ? "" : ack.trim();
    if (!a.matches("[0-9]{1,9}")) {
      throw new LoveException.BadResponse(site, "cmd_add on ScriptQueue:" + queue
          + " was acknowledged with '" + a + "' instead of the script's index");
    }
    return Integer.parseInt(a);
  }

  private static void checkQueue(int queue) {
    if (queue < 1 || queue > 99) {
      throw new IllegalArgumentException("ScriptQueue index must be 1 (MainTel), 2 (AuxTel) or 3 (OCS), got " + queue);
    }
  }

  private static void validate(ScriptRequest r) {
    if (r == null || r.path() == null || !r.path().matches("[A-Za-z0-9_][A-Za-z0-9_./-]{0,200}\\.py")
        || r.path().contains("..")) {
      throw new IllegalArgumentException("not a script path: '" + (r == null ? null : r.path()) + "'");
    }
    if (r.tag() != null && !TAG.matcher(r.tag()).matches()) {
      throw new IllegalArgumentException("script tag '" + r.tag() + "' must be 1-120 of A-Z a-z 0-9 . _ : / -");
    }
  }

  // SmartLifecycle: log out of every site when the application stops

  @Override
  public void start() {
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    http.logoutAll();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    // stop before the twin's servers (default phase) go away
    return Integer.MAX_VALUE - 100;
  }
}
