package org.lsst.ts.upgrade.love;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.csc.CscStates;
import org.lsst.ts.upgrade.csc.CscStatus;
import org.lsst.ts.upgrade.site.SummaryState;
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
 * and every add is recorded by tag in the orchestrator's database ({@link ScriptAddJournal}) before
 * it is sent, with the index once known. An add that got no answer — now, or before a crash or a
 * restart — is recognised as the one script of the same path that appeared on the queue after it
 * was sent.
 */
@Component
class LoveClient implements Love, SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(LoveClient.class);
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9._:/-]{1,120}");
  /**
   * The ScriptQueue command that stops scripts. Not in the LOVE contract: name and params
   * ({@code salIndices}, {@code length}, {@code terminate}) follow ts_xml / ts_scriptqueue
   * ({@code do_stopScripts}) and are unverified against LOVE at the sites (in particular whether a
   * one-element {@code salIndices} is accepted or the array must be sent at its full ts_xml size).
   */
  static final String CMD_STOP_SCRIPTS = "cmd_stopScripts";

  private final LoveHttp http;
  private final ScriptEventStore events;
  private final ScriptAddJournal journal;
  private final ObjectProvider<CscStates> cscStates;
  private final LoveProperties properties;
  private final Clock clock = Clock.systemUTC();
  private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
  private volatile boolean running;

  @org.springframework.beans.factory.annotation.Autowired
  LoveClient(Sites sites, LoveProperties properties, ScriptEventStore events, ScriptAddJournal journal,
      ObjectProvider<CscStates> cscStates, Environment environment) {
    this(new LoveHttp(sites, properties, (id, site) -> credentialsFrom(environment, id, site)), events, journal,
        cscStates, properties);
  }

  LoveClient(LoveHttp http, ScriptEventStore events, ScriptAddJournal journal, ObjectProvider<CscStates> cscStates,
      LoveProperties properties) {
    this.http = http;
    this.events = events;
    this.journal = journal;
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
    Optional<ScriptAddJournal.Entry> earlier = journal.find(site, queue, tag);
    if (earlier.isPresent() && earlier.get().index() != null) {
      log.info("Script tagged {} is already on ScriptQueue:{} at {} as {}", tag, queue, site, earlier.get().index());
      return earlier.get().index();
    }
    if (earlier.isPresent()) {
      // sent before (by this or an earlier run of the orchestrator) without learning its index
      Optional<Integer> found = findAdded(site, queue, earlier.get());
      if (found.isPresent()) {
        journal.added(site, queue, tag, found.get());
        log.warn("Script tagged {} was added at {} by an earlier attempt: index {}", tag, earlier.get().sent(),
            found.get());
        return found.get();
      }
      log.warn("Script tagged {} (sent at {}) is not on ScriptQueue:{}: adding it", tag, earlier.get().sent(), queue);
    }
    refuseIfNotEnabled(site, queue, true);
    Map<String, Object> params = addParams(request, tag);
    for (int attempt = 1; ; attempt++) {
      ScriptAddJournal.Entry sending = new ScriptAddJournal.Entry(site, queue, tag, request.path(),
          request.standard(), events.highestIndex(site, queue), clock.instant(), null);
      journal.sending(sending);
      try {
        String ack = http.command(site, "ScriptQueue", queue, "cmd_add", params);
        int index = parseIndex(site, queue, ack);
        journal.added(site, queue, tag, index);
        log.info("Added {} (tag {}) to ScriptQueue:{} at {}: index {}", request.path(), tag, queue, site, index);
        return index;
      } catch (LoveException.CommandTimeout | LoveException.Timeout e) {
        // the add may have gone through: look for it before adding again, so it never runs twice
        Optional<Integer> found = findAdded(site, queue, sending);
        if (found.isPresent()) {
          journal.added(site, queue, tag, found.get());
          log.warn("{}; the script was added nonetheless: index {}", e.getMessage(), found.get());
          return found.get();
        }
        // a queue that is gone (or not ENABLED) gives no ack either: say so rather than "timed out"
        refuseIfNotEnabled(site, queue, false);
        if (attempt >= 2) {
          throw e;
        }
        log.warn("{}; the script is not on ScriptQueue:{}: adding it again", e.getMessage(), queue);
      } catch (LoveException.Unavailable e) {
        if (e.notDone() && earlier.isEmpty() && attempt == 1) {
          // certainly not added, and no earlier add of this tag to look for: a retry adds at once
          // instead of first watching the queue for add-recovery-wait
          journal.forget(site, queue, tag);
        }
        throw e;
      } catch (LoveException.CommandFailed e) {
        boolean known = awaitQueueState(site, queue);
        refuseIfNotEnabled(site, queue, false);
        // a bad path fails the add itself (a bad config fails later, as CONFIGURE_FAILED)
        throw new LoveException.CommandFailed(site, e.status(), "adding " + request.path() + " to ScriptQueue:"
            + queue + " was refused (is the path a " + (request.standard() ? "standard" : "external")
            + " script?" + (known ? "" : " The queue's state is not known yet: is it ENABLED?") + "): "
            + e.getMessage());
      }
    }
  }

  @Override
  public Optional<ScriptOutcome> outcome(String site, int queue, int scriptIndex) {
    return events.outcome(site, queue, scriptIndex);
  }

  @Override
  public ScriptWhereabouts whereabouts(String site, int queue, int scriptIndex, java.time.Instant since) {
    return events.whereabouts(site, queue, scriptIndex, since);
  }

  @Override
  public boolean eventsMissedSince(String site, java.time.Instant since) {
    CscStates states = cscStates.getIfAvailable();
    if (states == null || since == null) {
      return false;
    }
    // the script events come through the monitor's consumer: its stretch of contact is theirs
    return states.seeingSince(site).map(t -> t.isAfter(since)).orElse(false);
  }

  @Override
  public void askScriptState(String site, int queue, int scriptIndex) {
    checkQueue(queue);
    String showQueue = properties.showQueueCommand();
    String showScript = properties.showScriptCommand();
    if (showQueue != null && !showQueue.isBlank()) {
      http.command(site, "ScriptQueue", queue, showQueue, Map.of());
    }
    if (showScript != null && !showScript.isBlank()) {
      http.command(site, "ScriptQueue", queue, showScript, Map.of("salIndex", scriptIndex));
    }
    log.info("Asked ScriptQueue:{} at {} to publish its queue and script {} again", queue, site, scriptIndex);
  }

  @Override
  public CompletableFuture<ScriptOutcome> whenDone(String site, int queue, int scriptIndex) {
    return events.whenDone(site, queue, scriptIndex);
  }

  @Override
  public CompletableFuture<ScriptOutcome> whenEnded(String site, int queue, int scriptIndex) {
    return events.whenEnded(site, queue, scriptIndex);
  }

  @Override
  public void resumeQueue(String site, int queue) {
    checkQueue(queue);
    http.command(site, "ScriptQueue", queue, "cmd_resume", Map.of());
    log.info("Resumed ScriptQueue:{} at {}", queue, site);
  }

  @Override
  public void stopScript(String site, int queue, int scriptIndex) {
    checkQueue(queue);
    if (scriptIndex <= 0) {
      throw new IllegalArgumentException("not a script SAL index: " + scriptIndex);
    }
    Optional<ScriptOutcome> ended = events.outcome(site, queue, scriptIndex);
    if (ended.isPresent()) {
      // nothing to stop (the queue would ignore it too, but only while ENABLED)
      log.info("Script {} on ScriptQueue:{} at {} has already ended ({}/{}): not stopping it", scriptIndex, queue,
          site, ended.get().processState(), ended.get().scriptState());
      return;
    }
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("salIndices", List.of(scriptIndex));
    params.put("length", 1);
    params.put("terminate", false); // give it the chance to clean up; the queue terminates it if it does not stop
    http.command(site, "ScriptQueue", queue, CMD_STOP_SCRIPTS, params);
    log.warn("Stopped script {} on ScriptQueue:{} at {}", scriptIndex, queue, site);
  }

  @Override
  public boolean mayCommand(String site) {
    return http.loginMayCommand(site);
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

  /**
   * The script of an add that got no answer: the one new script of the same path that the queue
   * reported after the add was sent, not claimed by another tag. Waits up to {@code add-recovery-wait}
   * for the queue's events; gives up early when the queue is known not to be ENABLED.
   */
  private Optional<Integer> findAdded(String site, int queue, ScriptAddJournal.Entry sent) {
    long deadline = System.nanoTime() + properties.addRecoveryWait().toNanos();
    while (true) {
      List<ScriptEvent> candidates = events.newScripts(site, queue, sent.path(), sent.standard(), sent.mark(),
          sent.sent());
      if (!candidates.isEmpty()) {
        Set<Integer> claimed = journal.claimed(site, queue, sent.tag(), sent.sent().minus(Duration.ofHours(1)));
        candidates = candidates.stream().filter(e -> !claimed.contains(e.scriptSalIndex())).toList();
      }
      if (candidates.size() == 1) {
        return Optional.of(candidates.get(0).scriptSalIndex());
      }
      if (candidates.size() > 1) {
        throw new LoveException.AmbiguousAdd(site, "after a timed-out add of " + sent.path() + " ScriptQueue:"
            + queue + " shows several new scripts of that path " + candidates.stream().map(ScriptEvent::scriptSalIndex)
            .toList() + ": check the queue in LOVE and stop the extra ones");
      }
      QueueView v = view(site, queue);
      if (v.known() && !v.enabled()) {
        return Optional.empty();
      }
      if (!waitForChange(site, deadline)) {
        return Optional.empty();
      }
    }
  }

  /** Waits (bounded by {@code add-recovery-wait}) until the queue's state is known; false if it is not. */
  private boolean awaitQueueState(String site, int queue) {
    long deadline = System.nanoTime() + properties.addRecoveryWait().toNanos();
    while (!view(site, queue).known()) {
      if (!waitForChange(site, deadline)) {
        return false;
      }
    }
    return true;
  }

  /** Waits for the next script/queue event or 200 ms, whichever comes first; false once past the deadline. */
  private boolean waitForChange(String site, long deadline) {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      return false;
    }
    // woken by the store on every event (no polling sleep)
    CompletableFuture<Void> changed = new CompletableFuture<>();
    Runnable wake = () -> changed.complete(null);
    events.onChange(wake);
    try {
      changed.get(Math.min(left, Duration.ofMillis(200).toNanos()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // look again
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LoveException.Unavailable(site, "interrupted while looking at the ScriptQueue's events", e);
    } finally {
      events.removeOnChange(wake);
    }
    return true;
  }

  /** What the client knows of a queue's state: from the CSC monitor, else from the queue's own event. */
  private record QueueView(boolean known, boolean enabled, String seen) {}

  private QueueView view(String site, int queue) {
    CscStates states = cscStates.getIfAvailable();
    if (states != null && states.historyRead(site)) {
      List<CscStatus> s = states.statusOf(site, List.of(CscId.of("ScriptQueue", queue)));
      SummaryState state = s.isEmpty() ? SummaryState.UNKNOWN : s.get(0).effectiveState();
      if (state != SummaryState.UNKNOWN) {
        return new QueueView(true, state == SummaryState.ENABLED, state.name());
      }
    }
    Optional<QueueEvent> q = events.queue(site, queue);
    return q.map(e -> new QueueView(true, e.enabled(), e.enabled() ? "ENABLED" : "not enabled (its queue event)"))
        .orElse(new QueueView(false, false, "unknown"));
  }

  /** A distinct error when the queue is known not to be ENABLED (from the CSC monitor or its queue event). */
  private void refuseIfNotEnabled(String site, int queue, boolean before) {
    QueueView v = view(site, queue);
    if (v.known() && !v.enabled()) {
      throw new LoveException.QueueNotEnabled(site, queue, "ScriptQueue:" + queue + " is " + v.seen()
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
