package org.lsst.ts.upgrade.runbook.scripts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.doAnswer;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.camunda.bpm.engine.task.Task;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lsst.ts.upgrade.love.ScriptOutcome;
import org.lsst.ts.upgrade.love.ScriptRequest;
import org.lsst.ts.upgrade.love.ScriptWhereabouts;
import org.lsst.ts.upgrade.love.ScriptWhereabouts.Place;
import org.lsst.ts.upgrade.runbook.RunVariables;
import org.lsst.ts.upgrade.runbook.RunbookEngine;
import org.mockito.ArgumentCaptor;

/**
 * Engine-level tests of {@code run-script}'s lost-script paths: the queue's state is what LOVE's
 * mock says ({@link ScriptWhereabouts}); every script is lost unless the test keeps it.
 */
class ScriptLostProcessTests {
  @RegisterExtension static final RunbookEngine h = new RunbookEngine();

  private final AtomicInteger next = new AtomicInteger(100000);
  /** Scripts the queue still knows (the others are absent), and those that started. */
  private final Set<Integer> kept = ConcurrentHashMap.newKeySet();
  private final Set<Integer> started = ConcurrentHashMap.newKeySet();

  @BeforeEach
  void queue() {
    // doAnswer: the engine's own answers would run on when(...)'s call
    doAnswer(inv -> next.incrementAndGet()).when(h.love).addScript(anyString(), anyInt(), any());
    doAnswer(inv -> {
      int index = inv.getArgument(2);
      return new ScriptWhereabouts(kept.contains(index) ? Place.WAITING : Place.ABSENT, started.contains(index));
    }).when(h.love).whereabouts(anyString(), anyInt(), anyInt(), any());
    // a script the queue keeps ends DONE at the second look
    Map<Integer, Integer> looks = new ConcurrentHashMap<>();
    doAnswer(inv -> {
      int index = inv.getArgument(2);
      if (!kept.contains(index) || looks.merge(index, 1, Integer::sum) < 2) {
        return Optional.empty();
      }
      return Optional.of(new ScriptOutcome(1, index, "set_summary_state.py", "DONE", "DONE", true, false, null));
    }).when(h.love).outcome(anyString(), anyInt(), anyInt());
  }

  private ProcessInstance runScript(String tag) {
    return h.engine.getRuntimeService().startProcessInstanceByKey(RunScriptIds.KEY, Map.of(RunVariables.SITE, "tts",
        RunVariables.RUN_ID, tag, RunVariables.SCRIPT_QUEUE, 1, RunVariables.POLL_INTERVAL, "PT1S",
        RunVariables.SCRIPT_PATH, "set_summary_state.py", RunVariables.SCRIPT_TAG, tag,
        RunVariables.SCRIPT_CONFIG_JSON, "{\"data\":[[\"Test:42\",\"STANDBY\"]]}"));
  }

  private Task lostTask(ProcessInstance pi) {
    h.runJobs(50);
    return h.engine.getTaskService().createTaskQuery().processInstanceId(pi.getId())
        .taskDefinitionKey(RunScriptIds.SCRIPT_LOST).singleResult();
  }

  private List<String> tagsAdded() {
    ArgumentCaptor<ScriptRequest> r = ArgumentCaptor.forClass(ScriptRequest.class);
    verify(h.love, org.mockito.Mockito.atLeastOnce()).addScript(eq("tts"), eq(1), r.capture());
    return r.getAllValues().stream().map(ScriptRequest::tag).toList();
  }

  @Test
  void aLostScriptThatNeverStartedIsAddedAgainOnceUnderATagOfItsOwn() {
    kept.add(100002); // the one added again stays
    ProcessInstance pi = runScript("tts-lost-1");
    h.runJobs(50);

    assertThat(h.ended(pi)).isTrue();
    assertThat(tagsAdded()).containsExactly("tts-lost-1", "tts-lost-1:again1");
    assertThat(h.historicVariable(pi, RunVariables.SCRIPT_SUCCEEDED)).isEqualTo(true);
    assertThat((String) h.historicVariable(pi, RunVariables.SCRIPTS_LOST))
        .contains("script 100001 on ScriptQueue:1", "2 looks in a row", "It had not started.", "Added again by itself");
  }

  @Test
  void aLostScriptThatHadStartedGoesToAPersonWhoCountsItAsFailed() {
    started.add(100001);
    ProcessInstance pi = runScript("tts-lost-2");
    Task task = lostTask(pi);
    assertThat(task).as("the 'script lost' task").isNotNull();
    h.checkFormContext(task);
    assertThat(h.formContextProblems).isEmpty();
    assertThat(tagsAdded()).containsExactly("tts-lost-2");
    // the form pre-fills no decision
    assertThat(h.engine.getTaskService().getVariable(task.getId(), RunVariables.SCRIPT_LOST_DECISION)).isNull();

    h.engine.getTaskService().complete(task.getId(), Map.of(RunVariables.SCRIPT_LOST_DECISION, "failed",
        RunVariables.SCRIPT_LOST_NOTE, "Test:42 is in FAULT"));
    assertThat(h.ended(pi)).isTrue();
    assertThat(h.historicVariable(pi, RunVariables.SCRIPT_SUCCEEDED)).isEqualTo(false);
    assertThat((String) h.historicVariable(pi, RunVariables.SCRIPT_MESSAGE))
        .contains("It had started", "chose to count it as failed: Test:42 is in FAULT");
    assertThat((String) h.historicVariable(pi, RunVariables.SCRIPT_FAILURES)).contains("count it as failed");
  }

  @Test
  void aScriptLostAgainAfterItWasAddedAgainGoesToAPersonAndTheirAddAgainIsUndecidedNextTime() {
    kept.add(100003);
    ProcessInstance pi = runScript("tts-lost-3");
    Task task = lostTask(pi); // 100001 lost: added again by itself as 100002, lost too: a person
    assertThat(task).isNotNull();
    assertThat((String) h.engine.getTaskService().getVariable(task.getId(), RunVariables.SCRIPT_LOST_TEXT))
        .contains("script 100002", "It had not started; it was already added again 1 time(s).");
    h.engine.getTaskService().complete(task.getId(), Map.of(RunVariables.SCRIPT_LOST_DECISION, "again"));
    h.runJobs(50);

    assertThat(h.ended(pi)).isTrue();
    assertThat(tagsAdded()).containsExactly("tts-lost-3", "tts-lost-3:again1", "tts-lost-3:again2");
    assertThat(h.historicVariable(pi, RunVariables.SCRIPT_SUCCEEDED)).isEqualTo(true);
    assertThat(((String) h.historicVariable(pi, RunVariables.SCRIPTS_LOST)).lines()).hasSize(2);
  }

  @Test
  void aScriptWhoseEndWasLostInAKafkaOutageIsAskedForAgainAndItsEndCounts() {
    // the queue's events since the add were lost (no queue state heard: UNKNOWN); the stream sees again
    // at the third look; asked again, the queue publishes the script's end: DONE
    Set<Integer> asked = ConcurrentHashMap.newKeySet();
    AtomicInteger looks = new AtomicInteger();
    doAnswer(inv -> ScriptWhereabouts.unknown()).when(h.love).whereabouts(anyString(), anyInt(), anyInt(), any());
    doAnswer(inv -> looks.incrementAndGet() >= 3).when(h.love).eventsMissedSince(anyString(), any());
    doAnswer(inv -> asked.add(inv.<Integer>getArgument(2))).when(h.love).askScriptState(anyString(), anyInt(), anyInt());
    doAnswer(inv -> asked.contains(inv.<Integer>getArgument(2))
        ? Optional.of(new ScriptOutcome(1, inv.getArgument(2), "set_summary_state.py", "DONE", "DONE", true, false, null))
        : Optional.empty()).when(h.love).outcome(anyString(), anyInt(), anyInt());
    ProcessInstance pi = runScript("tts-outage");
    h.runJobs(50);

    assertThat(h.ended(pi)).isTrue();
    assertThat(h.historicVariable(pi, RunVariables.SCRIPT_SUCCEEDED)).isEqualTo(true);
    verify(h.love, times(1)).askScriptState("tts", 1, 100001);
    verify(h.love, times(1)).addScript(anyString(), anyInt(), any());
  }

  @Test
  void aScriptInItsQueuesHistoryWhoseEndIsNeverHeardGoesToAPersonNotToSuccess() {
    // the queue lists it as finished; asked again it says nothing more (its events lost for good)
    doAnswer(inv -> new ScriptWhereabouts(Place.FINISHED, true)).when(h.love)
        .whereabouts(anyString(), anyInt(), anyInt(), any());
    doAnswer(inv -> Optional.empty()).when(h.love).outcome(anyString(), anyInt(), anyInt());
    ProcessInstance pi = runScript("tts-unheard");
    Task task = lostTask(pi);
    assertThat(task).as("the 'script lost' task").isNotNull();
    h.checkFormContext(task);
    assertThat(h.formContextProblems).isEmpty();
    assertThat((String) h.engine.getTaskService().getVariable(task.getId(), RunVariables.SCRIPT_LOST_TEXT))
        .contains("script 100001", "has ended", "how it ended was never heard", "not counted as a success");
    // asked on the second and third looks in its history (lost-after-polls: 2), then the person's task
    verify(h.love, times(2)).askScriptState("tts", 1, 100001);
    assertThat(tagsAdded()).as("not added again by itself").containsExactly("tts-unheard");

    h.engine.getTaskService().complete(task.getId(), Map.of(RunVariables.SCRIPT_LOST_DECISION, "done",
        RunVariables.SCRIPT_LOST_NOTE, "LOVE shows it DONE"));
    assertThat(h.ended(pi)).isTrue();
    assertThat(h.historicVariable(pi, RunVariables.SCRIPT_SUCCEEDED)).isEqualTo(true);
  }

  @Test
  void aScriptTheQueueStillKnowsIsNeverLost() {
    kept.add(100001);
    ProcessInstance pi = runScript("tts-kept");
    h.runJobs(50);
    assertThat(h.ended(pi)).isTrue();
    assertThat(h.historicVariable(pi, RunVariables.SCRIPT_SUCCEEDED)).isEqualTo(true);
    verify(h.love, times(1)).addScript(anyString(), anyInt(), any());
  }
}
