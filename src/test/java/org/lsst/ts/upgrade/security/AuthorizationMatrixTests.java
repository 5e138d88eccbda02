package org.lsst.ts.upgrade.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.ProcessEngine;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.task.Task;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.lsst.ts.upgrade.BasicAuthHttp;
import org.lsst.ts.upgrade.RehearsalTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Least privilege, proven (issue 13): every endpoint that writes — each of Camunda's engine REST
 * API (found from its JAX-RS resources, {@link EngineRestEndpoints}) and each of the orchestrator's
 * own under {@code /api/**}, {@code /rehearsal/**} and {@code /slack/**} (found from Spring's
 * mappings) — is tried by an operator, a manager, the camera team and a user in no group, against a
 * real run-like fixture (a waiting job, a task offered to operators, run variables, a comment, an
 * attachment, an incident). For each it expects what the table says, and after every refusal it
 * checks that nothing changed: job retries and state, the task's assignee and links, variables,
 * comments, attachments, users, groups, authorizations, deployments, filters, batches, runs, the
 * twin's controls. An endpoint without a row fails {@link #everyWriteEndpointHasARow()}.
 * (The webapps' {@code /camunda/api/engine/engine/default/...} routes are these same resources.)
 *
 * <p>Rules, for everyone but administrators (who may do everything):
 * <ul>
 *   <li>{@code ADMIN}: refused (4xx) for every other caller, nothing changes;
 *   <li>{@code OPERATORS}: operators may (the fixture's task is offered to them; their own tests
 *       cover it: {@code TaskPermissionsTests}, {@code InsiderAttackTests}); everyone else is refused
 *       and nothing changes;
 *   <li>{@code READ}: a query sent as POST; {@code NOOP}: may answer 2xx — for both, nothing changes;
 *   <li>{@code OR500} after the rule: see {@link Row#or500()};
 *   <li>{@code NOBODY}: refused for every caller, administrators included (the Slack endpoint
 *       without a Slack signature).
 * </ul>
 */
@RehearsalTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixTests {
  static final String FIXTURE = "matrix-fixture";
  static final ObjectMapper JSON = new ObjectMapper();
  /** The user the identity endpoints act on: none of the callers (changing one's own password is allowed). */
  static final String TARGET_USER = "matrixtarget";
  static final List<String> CALLERS = List.of("operator", "manager", "camera", "nogroup");

  enum Rule { ADMIN, OPERATORS, READ, NOOP, NOBODY }

  /** Camunda's engine REST API: every write. */
  static final String ENGINE_REST = """
      DELETE /authorization/{id}                                                ADMIN
      DELETE /batch/{id}                                                        ADMIN
      DELETE /case-execution/{id}/localVariables/{varId}                        ADMIN OR500
      DELETE /case-execution/{id}/variables/{varId}                             ADMIN OR500
      DELETE /case-instance/{id}/variables/{varId}                              ADMIN OR500
      DELETE /deployment/{id}                                                   ADMIN
      DELETE /execution/{id}/localVariables/{varId}                             ADMIN OR500
      DELETE /filter/{id}                                                       ADMIN
      DELETE /group/{id}                                                        ADMIN
      DELETE /group/{id}/members/{userId}                                       ADMIN
      DELETE /history/batch/{id}                                                ADMIN
      DELETE /history/process-instance/{id}                                     ADMIN
      DELETE /history/process-instance/{id}/variable-instances                  ADMIN
      DELETE /history/variable-instance/{id}                                    ADMIN
      DELETE /incident/{id}                                                     ADMIN
      DELETE /incident/{id}/annotation                                          ADMIN
      DELETE /job/{id}                                                          ADMIN
      DELETE /metrics/task-worker                                               ADMIN
      DELETE /process-definition/key/{key}                                      ADMIN
      DELETE /process-definition/key/{key}/delete                               ADMIN
      DELETE /process-definition/key/{key}/tenant-id/{tenantId}                 ADMIN
      DELETE /process-definition/key/{key}/tenant-id/{tenantId}/delete          ADMIN
      DELETE /process-definition/{id}                                           ADMIN
      DELETE /process-instance/{id}                                             ADMIN
      DELETE /process-instance/{id}/comment                                     ADMIN
      DELETE /process-instance/{id}/comment/{commentId}                         ADMIN
      DELETE /process-instance/{id}/variables/{varId}                           ADMIN OR500
      DELETE /task/{id}                                                         ADMIN OR500
      DELETE /task/{id}/attachment/{attachmentId}                               ADMIN
      DELETE /task/{id}/comment                                                 ADMIN
      DELETE /task/{id}/comment/{commentId}                                     ADMIN
      DELETE /task/{id}/localVariables/{varId}                                  OPERATORS OR500
      DELETE /task/{id}/variables/{varId}                                       OPERATORS OR500
      DELETE /tenant/{id}                                                       ADMIN
      DELETE /tenant/{id}/group-members/{groupId}                               ADMIN
      DELETE /tenant/{id}/user-members/{userId}                                 ADMIN
      DELETE /user/{id}                                                         ADMIN
      POST /authorization/create                                                ADMIN OR500
      POST /case-definition/key/{key}/create                                    ADMIN
      POST /case-definition/key/{key}/tenant-id/{tenantId}/create               ADMIN
      POST /case-definition/{id}/create                                         ADMIN
      POST /case-execution                                                      READ
      POST /case-execution/count                                                READ
      POST /case-execution/{id}/complete                                        ADMIN
      POST /case-execution/{id}/disable                                         ADMIN
      POST /case-execution/{id}/localVariables                                  ADMIN OR500
      POST /case-execution/{id}/localVariables/{varId}/data                     ADMIN
      POST /case-execution/{id}/manual-start                                    ADMIN
      POST /case-execution/{id}/reenable                                        ADMIN
      POST /case-execution/{id}/terminate                                       ADMIN
      POST /case-execution/{id}/variables                                       ADMIN OR500
      POST /case-execution/{id}/variables/{varId}/data                          ADMIN
      POST /case-instance                                                       READ
      POST /case-instance/count                                                 READ
      POST /case-instance/{id}/close                                            ADMIN
      POST /case-instance/{id}/complete                                         ADMIN
      POST /case-instance/{id}/terminate                                        ADMIN
      POST /case-instance/{id}/variables                                        ADMIN OR500
      POST /case-instance/{id}/variables/{varId}/data                           ADMIN
      POST /condition                                                           NOOP
      POST /decision-definition/key/{key}/evaluate                              READ
      POST /decision-definition/key/{key}/tenant-id/{tenantId}/evaluate         READ
      POST /decision-definition/{id}/evaluate                                   READ
      POST /deployment/create                                                   ADMIN
      POST /deployment/{id}/redeploy                                            ADMIN
      POST /execution                                                           READ
      POST /execution/count                                                     READ
      POST /execution/{id}/create-incident                                      ADMIN
      POST /execution/{id}/localVariables                                       ADMIN OR500
      POST /execution/{id}/localVariables/{varId}/data                          ADMIN
      POST /execution/{id}/messageSubscriptions/{messageName}/trigger           ADMIN OR500
      POST /execution/{id}/signal                                               ADMIN
      POST /external-task                                                       READ
      POST /external-task/count                                                 READ
      POST /external-task/fetchAndLock                                          NOOP
      POST /external-task/retries-async                                         ADMIN
      POST /external-task/{id}/bpmnError                                        ADMIN OR500
      POST /external-task/{id}/complete                                         ADMIN OR500
      POST /external-task/{id}/extendLock                                       ADMIN
      POST /external-task/{id}/failure                                          ADMIN OR500
      POST /external-task/{id}/lock                                             ADMIN OR500
      POST /external-task/{id}/unlock                                           ADMIN
      POST /filter/create                                                       ADMIN
      POST /filter/{id}/count                                                   READ
      POST /filter/{id}/list                                                    READ
      POST /filter/{id}/singleResult                                            READ
      POST /group                                                               READ
      POST /group/count                                                         READ
      POST /group/create                                                        ADMIN OR500
      POST /history/activity-instance                                           READ
      POST /history/activity-instance/count                                     READ
      POST /history/batch/set-removal-time                                      ADMIN
      POST /history/case-instance                                               READ
      POST /history/case-instance/count                                         READ
      POST /history/cleanup                                                     ADMIN
      POST /history/decision-instance/delete                                    ADMIN
      POST /history/decision-instance/set-removal-time                          ADMIN
      POST /history/detail                                                      READ
      POST /history/external-task-log                                           READ
      POST /history/external-task-log/count                                     READ
      POST /history/job-log                                                     READ
      POST /history/job-log/count                                               READ
      POST /history/process-instance                                            READ
      POST /history/process-instance/count                                      READ
      POST /history/process-instance/delete                                     ADMIN
      POST /history/process-instance/set-removal-time                           ADMIN
      POST /history/task                                                        READ
      POST /history/task/count                                                  READ
      POST /history/variable-instance                                           READ
      POST /history/variable-instance/count                                     READ
      POST /identity/password-policy                                            READ
      POST /identity/verify                                                     READ
      POST /job                                                                 READ
      POST /job-definition                                                      READ
      POST /job-definition/count                                                READ
      POST /job/count                                                           READ
      POST /job/retries                                                         ADMIN
      POST /job/{id}/duedate/recalculate                                        ADMIN
      POST /job/{id}/execute                                                    ADMIN
      POST /message                                                             ADMIN
      POST /migration/execute                                                   ADMIN OR500
      POST /migration/executeAsync                                              ADMIN OR500
      POST /migration/generate                                                  READ
      POST /migration/validate                                                  READ
      POST /modification/execute                                                ADMIN
      POST /modification/executeAsync                                           ADMIN
      POST /process-definition/key/{key}/restart                                ADMIN OR500
      POST /process-definition/key/{key}/restart-async                          ADMIN OR500
      POST /process-definition/key/{key}/start                                  ADMIN
      POST /process-definition/key/{key}/submit-form                            ADMIN
      POST /process-definition/key/{key}/tenant-id/{tenantId}/restart           ADMIN
      POST /process-definition/key/{key}/tenant-id/{tenantId}/restart-async     ADMIN
      POST /process-definition/key/{key}/tenant-id/{tenantId}/start             ADMIN
      POST /process-definition/key/{key}/tenant-id/{tenantId}/submit-form       ADMIN
      POST /process-definition/{id}/restart                                     ADMIN OR500
      POST /process-definition/{id}/restart-async                               ADMIN OR500
      POST /process-definition/{id}/start                                       ADMIN
      POST /process-definition/{id}/submit-form                                 ADMIN
      POST /process-instance                                                    READ
      POST /process-instance/count                                              READ
      POST /process-instance/delete                                             ADMIN
      POST /process-instance/delete-historic-query-based                        ADMIN
      POST /process-instance/job-retries                                        ADMIN
      POST /process-instance/job-retries-historic-query-based                   ADMIN OR500
      POST /process-instance/message-async                                      ADMIN
      POST /process-instance/suspended-async                                    ADMIN
      POST /process-instance/variables-async                                    ADMIN
      POST /process-instance/{id}/modification                                  ADMIN
      POST /process-instance/{id}/modification-async                            ADMIN
      POST /process-instance/{id}/variables                                     ADMIN OR500
      POST /process-instance/{id}/variables/{varId}/data                        ADMIN
      POST /schema/log                                                          READ
      POST /signal                                                              NOOP
      POST /task                                                                READ
      POST /task/count                                                          READ
      POST /task/create                                                         ADMIN
      POST /task/{id}/assignee                                                  ADMIN
      POST /task/{id}/attachment/create                                         OPERATORS
      POST /task/{id}/bpmnError                                                 OPERATORS
      POST /task/{id}/bpmnEscalation                                            OPERATORS
      POST /task/{id}/claim                                                     OPERATORS
      POST /task/{id}/comment/create                                            OPERATORS
      POST /task/{id}/complete                                                  OPERATORS
      POST /task/{id}/delegate                                                  ADMIN
      POST /task/{id}/identity-links                                            ADMIN
      POST /task/{id}/identity-links/delete                                     ADMIN
      POST /task/{id}/localVariables                                            OPERATORS OR500
      POST /task/{id}/localVariables/{varId}/data                               OPERATORS
      POST /task/{id}/resolve                                                   OPERATORS
      POST /task/{id}/submit-form                                               OPERATORS
      POST /task/{id}/unclaim                                                   OPERATORS
      POST /task/{id}/variables                                                 OPERATORS OR500
      POST /task/{id}/variables/{varId}/data                                    OPERATORS
      POST /telemetry/configuration                                             NOOP
      POST /tenant/create                                                       ADMIN OR500
      POST /user/create                                                         ADMIN
      POST /user/{id}/unlock                                                    ADMIN
      POST /variable-instance                                                   READ
      POST /variable-instance/count                                             READ
      PUT /authorization/{id}                                                   ADMIN
      PUT /batch/{id}/suspended                                                 ADMIN
      PUT /case-definition/key/{key}/history-time-to-live                       ADMIN
      PUT /case-definition/key/{key}/tenant-id/{tenantId}/history-time-to-live  ADMIN
      PUT /case-definition/{id}/history-time-to-live                            ADMIN
      PUT /case-execution/{id}/localVariables/{varId}                           ADMIN
      PUT /case-execution/{id}/variables/{varId}                                ADMIN
      PUT /case-instance/{id}/variables/{varId}                                 ADMIN
      PUT /decision-definition/key/{key}/history-time-to-live                   ADMIN
      PUT /decision-definition/key/{key}/tenant-id/{tenantId}/history-time-to-live ADMIN
      PUT /decision-definition/{id}/history-time-to-live                        ADMIN
      PUT /execution/{id}/localVariables/{varId}                                ADMIN
      PUT /external-task/retries                                                ADMIN
      PUT /external-task/{id}/priority                                          ADMIN OR500
      PUT /external-task/{id}/retries                                           ADMIN
      PUT /filter/{id}                                                          ADMIN
      PUT /group/{id}                                                           ADMIN OR500
      PUT /group/{id}/members/{userId}                                          ADMIN
      PUT /history/user-operation/{operationId}/clear-annotation                ADMIN
      PUT /history/user-operation/{operationId}/set-annotation                  ADMIN
      PUT /incident/{id}/annotation                                             ADMIN
      PUT /job-definition/suspended                                             ADMIN
      PUT /job-definition/{id}/jobPriority                                      ADMIN
      PUT /job-definition/{id}/retries                                          ADMIN
      PUT /job-definition/{id}/suspended                                        ADMIN
      PUT /job/suspended                                                        ADMIN
      PUT /job/{id}/duedate                                                     ADMIN
      PUT /job/{id}/priority                                                    ADMIN
      PUT /job/{id}/retries                                                     ADMIN
      PUT /job/{id}/suspended                                                   ADMIN
      PUT /process-definition/key/{key}/history-time-to-live                    ADMIN
      PUT /process-definition/key/{key}/suspended                               ADMIN
      PUT /process-definition/key/{key}/tenant-id/{tenantId}/history-time-to-live ADMIN
      PUT /process-definition/key/{key}/tenant-id/{tenantId}/suspended          ADMIN
      PUT /process-definition/suspended                                         ADMIN
      PUT /process-definition/{id}/history-time-to-live                         ADMIN
      PUT /process-definition/{id}/suspended                                    ADMIN
      PUT /process-instance/suspended                                           ADMIN
      PUT /process-instance/{id}/comment                                        ADMIN
      PUT /process-instance/{id}/suspended                                      ADMIN
      PUT /process-instance/{id}/variables/{varId}                              ADMIN
      PUT /task/{id}                                                            ADMIN
      PUT /task/{id}/comment                                                    ADMIN
      PUT /task/{id}/localVariables/{varId}                                     OPERATORS
      PUT /task/{id}/variables/{varId}                                          OPERATORS
      PUT /tenant/{id}                                                          ADMIN
      PUT /tenant/{id}/group-members/{groupId}                                  ADMIN
      PUT /tenant/{id}/user-members/{userId}                                    ADMIN
      PUT /user/{id}/credentials                                                ADMIN
      PUT /user/{id}/profile                                                    ADMIN
      """;

  /** The orchestrator's own API; {@code OPTIONAL} rows are endpoints of work in progress elsewhere. */
  static final String OWN = """
      POST /api/runs                                                            OPERATORS
      POST /api/runs/plan                                                       OPERATORS OPTIONAL
      POST /rehearsal/autopilot                                                 OPERATORS
      DELETE /rehearsal/autopilot/answers                                       OPERATORS
      POST /rehearsal/faults                                                    OPERATORS
      DELETE /rehearsal/faults                                                  OPERATORS
      DELETE /rehearsal/faults/{id}                                             OPERATORS
      POST /rehearsal/sites/{site}/reset                                        OPERATORS
      POST /rehearsal/cscs/{site}/{id}                                          OPERATORS
      POST /rehearsal/love/expire-tokens                                        OPERATORS
      POST /rehearsal/slack/click                                               OPERATORS
      POST /slack/commands                                                      NOBODY
      POST /slack/interactions                                                  NOBODY
      """;

  /**
   * @param or500 the REST API wraps every engine exception of this endpoint, refusals included, in
   *     a 500 ("Cannot ..."): a refusal may answer 500 here — what it changed is checked all the same
   */
  record Row(String method, String path, Rule rule, boolean optional, boolean or500) {
    String key() {
      return method + " " + path;
    }
  }

  static Map<String, Row> table(String text) {
    Map<String, Row> rows = new TreeMap<>();
    for (String line : text.strip().split("\n")) {
      String[] f = line.trim().split("\\s+");
      List<String> flags = List.of(f).subList(3, f.length);
      Row r = new Row(f[0], f[1], Rule.valueOf(f[2]), flags.contains("OPTIONAL"), flags.contains("OR500"));
      assertThat(rows.put(r.key(), r)).as("duplicate row " + r.key()).isNull();
    }
    return rows;
  }

  @LocalServerPort int port;
  @Autowired ProcessEngine engine;
  @Autowired org.lsst.ts.upgrade.rehearsal.Autopilot autopilot;
  @Autowired org.lsst.ts.upgrade.rehearsal.FaultRegistry faults;
  @Autowired @org.springframework.beans.factory.annotation.Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mappings;

  String instance;
  String task;
  String job;
  String jobDefinition;
  String definition;
  String deployment;
  String comment;
  String attachment;
  String incident;
  String filter;
  String authorization;
  String historicVariable;
  Date since;

  @BeforeAll
  void fixture() {
    var identity = engine.getIdentityService();
    if (identity.createUserQuery().userId("nogroup").count() == 0) {
      var u = identity.newUser("nogroup");
      u.setFirstName("nogroup");
      u.setPassword("nogroup");
      identity.saveUser(u);
    }
    if (identity.createUserQuery().userId(TARGET_USER).count() == 0) {
      var u = identity.newUser(TARGET_USER);
      u.setFirstName(TARGET_USER);
      u.setPassword(TARGET_USER);
      identity.saveUser(u);
      identity.createMembership(TARGET_USER, Groups.OPERATORS);
    }
    if (engine.getRepositoryService().createProcessDefinitionQuery().processDefinitionKey(FIXTURE).count() == 0) {
      engine.getRepositoryService().createDeployment().name(FIXTURE).addModelInstance(FIXTURE + ".bpmn",
          Bpmn.createExecutableProcess(FIXTURE).camundaHistoryTimeToLive(1)
              .startEvent().parallelGateway("fork")
              .intermediateCatchEvent("Timer_AnHour").timerWithDuration("PT1H").endEvent()
              .moveToNode("fork")
              .userTask("UserTask_Check").name("Check").camundaCandidateGroups(Groups.OPERATORS).endEvent()
              .done()).deploy();
    }
    since = new Date();
    instance = engine.getRuntimeService().startProcessInstanceByKey(FIXTURE,
        Map.of("site", "tts", "startedBy", "operator")).getId();
    task = engine.getTaskService().createTaskQuery().processInstanceId(instance).singleResult().getId();
    Job j = engine.getManagementService().createJobQuery().processInstanceId(instance).singleResult();
    job = j.getId();
    jobDefinition = j.getJobDefinitionId();
    definition = engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(instance).singleResult()
        .getProcessDefinitionId();
    deployment = engine.getRepositoryService().getProcessDefinition(definition).getDeploymentId();
    identity.setAuthentication("admin", List.of(Groups.CAMUNDA_ADMIN));
    try {
      comment = engine.getTaskService().createComment(task, instance, "the step's note").getId();
      attachment = engine.getTaskService().createAttachment("url", task, instance, "log", "log", "http://example.org").getId();
    } finally {
      identity.clearAuthentication();
    }
    incident = engine.getRuntimeService().createIncident("matrix",
        engine.getTaskService().createTaskQuery().taskId(task).singleResult().getExecutionId(), "a stuck step").getId();
    filter = engine.getFilterService().createFilterQuery().list().get(0).getId();
    authorization = engine.getAuthorizationService().createAuthorizationQuery().groupIdIn(Groups.OPERATORS).list()
        .get(0).getId();
    historicVariable = engine.getHistoryService().createHistoricVariableInstanceQuery().processInstanceId(instance)
        .variableName("site").singleResult().getId();
  }

  @AfterAll
  void cleanUp() {
    if (engine.getRuntimeService().createProcessInstanceQuery().processInstanceId(instance).count() > 0) {
      engine.getRuntimeService().deleteProcessInstance(instance, "matrix over", true, true);
    }
  }

  /** Every write endpoint found has a row, and every row an endpoint. */
  @Test
  void everyWriteEndpointHasARow() {
    Set<String> engineFound = new TreeSet<>();
    EngineRestEndpoints.writes().forEach(e -> engineFound.add(e.key()));
    Map<String, Row> engineRows = table(ENGINE_REST);
    assertThat(new TreeSet<>(engineFound)).as("engine REST writes without a row in ENGINE_REST")
        .isSubsetOf(engineRows.keySet());
    assertThat(engineRows.keySet()).as("rows of engine REST endpoints that do not exist").isSubsetOf(engineFound);

    Set<String> ownFound = ownWrites();
    Map<String, Row> ownRows = table(OWN);
    assertThat(ownFound).as("own writes without a row in OWN").isSubsetOf(ownRows.keySet());
    ownRows.values().stream().filter(r -> !r.optional())
        .forEach(r -> assertThat(ownFound).as("row of an endpoint that does not exist").contains(r.key()));
  }

  /** POST/PUT/DELETE/PATCH (or any method) mappings under /api, /rehearsal and /slack. */
  Set<String> ownWrites() {
    Set<String> out = new TreeSet<>();
    for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
      Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
      for (String pattern : info.getPatternValues()) {
        if (!(pattern.startsWith("/api") || pattern.startsWith("/rehearsal") || pattern.startsWith("/slack"))) {
          continue;
        }
        if (methods.isEmpty()) {
          out.add("ANY " + pattern);
        }
        for (RequestMethod m : methods) {
          if (m != RequestMethod.GET && m != RequestMethod.HEAD && m != RequestMethod.OPTIONS) {
            out.add(m.name() + " " + pattern);
          }
        }
      }
    }
    return out;
  }

  @Test
  void engineRestWritesAreRefusedAndChangeNothing() {
    walk("/engine-rest", table(ENGINE_REST));
  }

  @Test
  void ownWritesAreRefusedAndChangeNothing() {
    walk("", table(OWN));
  }

  private void walk(String base, Map<String, Row> rows) {
    List<String> failures = new ArrayList<>();
    // the state after one request is the state before the next: read once per request
    String before = state();
    for (Row row : rows.values()) {
      for (String caller : CALLERS) {
        if (row.rule() == Rule.OPERATORS && caller.equals("operator")) {
          continue;
        }
        String path = base + fill(row.path());
        HttpResponse<String> r = BasicAuthHttp.as(port, caller).send(row.method(), path, body(row));
        String after = state();
        boolean refused = r.statusCode() >= 400 && r.statusCode() < 500 || row.or500() && r.statusCode() == 500;
        boolean mayAnswer = row.rule() == Rule.READ || row.rule() == Rule.NOOP;
        if (!refused && !mayAnswer) {
          failures.add(caller + " " + row.key() + " -> " + r.statusCode() + " " + abbreviate(r.body()));
        }
        if (!before.equals(after)) {
          failures.add(caller + " " + row.key() + " -> " + r.statusCode() + " CHANGED: " + diff(before, after));
        }
        before = after;
      }
    }
    assertThat(failures).as("writes that got through or changed something").isEmpty();
  }

  private static String abbreviate(String s) {
    return s == null ? "" : s.length() > 160 ? s.substring(0, 160) + "..." : s;
  }

  private static String diff(String before, String after) {
    List<String> d = new ArrayList<>();
    String[] b = before.split("\n");
    String[] a = after.split("\n");
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      String x = i < b.length ? b[i] : "";
      String y = i < a.length ? a[i] : "";
      if (!x.equals(y)) {
        d.add(x + " => " + y);
      }
    }
    return String.join("; ", d);
  }

  private static final Pattern PARAM = Pattern.compile("([a-z-]+)/\\{([A-Za-z]+)\\}");

  /** The fixture's ids in place of the path's parameters. */
  String fill(String template) {
    Matcher m = PARAM.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + "/" + value(template, m.group(1), m.group(2))));
    }
    m.appendTail(out);
    // parameters right after another parameter ("/{key}/tenant-id/{tenantId}", "/cscs/{site}/{id}")
    return out.toString().replace("{varId}", "site").replace("{id}", "ATDome").replace("{userId}", "operator")
        .replace("{groupId}", "operators").replace("{commentId}", comment).replace("{attachmentId}", attachment)
        .replace("{messageName}", "none").replace("{tenantId}", "none").replace("{site}", "tts");
  }

  private String value(String template, String segment, String param) {
    return switch (param) {
      case "key" -> FIXTURE;
      case "varId" -> "site";
      case "userId" -> "operator";
      case "groupId" -> "operators";
      case "commentId" -> comment;
      case "attachmentId" -> attachment;
      case "operationId", "messageName", "tenantId" -> "none";
      case "site" -> "tts";
      default -> switch (segment) {
        case "job" -> job;
        case "job-definition" -> jobDefinition;
        case "task" -> task;
        case "process-instance", "execution" -> template.startsWith("/history/") ? instance : instance;
        case "process-definition" -> definition;
        case "deployment" -> deployment;
        case "filter" -> filter;
        case "user" -> TARGET_USER;
        case "group" -> "operators";
        case "authorization" -> authorization;
        case "incident" -> incident;
        case "variable-instance" -> historicVariable;
        case "faults" -> "none";
        default -> "none";
      };
    };
  }

  /** Bodies that would do harm if accepted; {} otherwise. */
  String body(Row row) {
    return switch (row.key()) {
      case "PUT /job/{id}/retries", "PUT /job-definition/{id}/retries" -> "{\"retries\":0}";
      case "POST /job/retries" -> "{\"jobIds\":[\"" + job + "\"],\"retries\":0}";
      case "POST /process-instance/job-retries" ->
          "{\"processInstances\":[\"" + instance + "\"],\"retries\":0}";
      case "PUT /job/{id}/suspended", "PUT /process-instance/{id}/suspended", "PUT /job-definition/{id}/suspended",
          "PUT /process-definition/{id}/suspended", "PUT /process-definition/key/{key}/suspended" ->
          "{\"suspended\":true}";
      case "PUT /process-instance/{id}/variables/{varId}", "PUT /task/{id}/variables/{varId}",
          "PUT /task/{id}/localVariables/{varId}", "PUT /execution/{id}/localVariables/{varId}" ->
          "{\"value\":\"summit\"}";
      case "POST /process-instance/{id}/variables", "POST /task/{id}/variables", "POST /task/{id}/localVariables",
          "POST /execution/{id}/localVariables" -> "{\"modifications\":{\"site\":{\"value\":\"summit\"}}}";
      case "POST /task/{id}/claim", "POST /task/{id}/assignee", "POST /task/{id}/delegate" ->
          "{\"userId\":\"operator\"}";
      case "POST /process-instance/{id}/modification" ->
          "{\"instructions\":[{\"type\":\"cancel\",\"activityId\":\"UserTask_Check\"}]}";
      case "POST /task/{id}/identity-links" -> "{\"groupId\":\"managers\",\"type\":\"candidate\"}";
      case "POST /task/{id}/complete", "POST /task/{id}/submit-form", "POST /task/{id}/resolve" ->
          "{\"variables\":{\"site\":{\"value\":\"summit\"}}}";
      case "POST /task/{id}/comment/create" -> "{\"message\":\"x\",\"processInstanceId\":\"" + instance + "\"}";
      case "PUT /user/{id}/profile" -> "{\"id\":\"" + TARGET_USER + "\",\"firstName\":\"admin\",\"lastName\":\"\"}";
      case "PUT /user/{id}/credentials" -> "{\"password\":\"changed-1A!\",\"authenticatedUserPassword\":\"" + TARGET_USER + "\"}";
      case "PUT /group/{id}/members/{userId}" -> "{}";
      case "POST /rehearsal/autopilot" -> "{\"enabled\":true}";
      case "POST /rehearsal/faults" -> "{\"site\":\"tts\",\"system\":\"ssh\",\"kind\":\"down\",\"target\":\"x\"}";
      case "POST /rehearsal/cscs/{site}/{id}" -> "{\"state\":\"OFFLINE\"}";
      case "POST /api/runs" -> "{\"process\":\"minimal-testing\",\"site\":\"bts\",\"telescopes\":[\"auxtel\"]}";
      default -> "{}";
    };
  }

  /** Everything a write could change, one fact a line. */
  String state() {
    Map<String, Object> s = new LinkedHashMap<>();
    var runtime = engine.getRuntimeService();
    var tasks = engine.getTaskService();
    var management = engine.getManagementService();
    Job j = management.createJobQuery().jobId(job).singleResult();
    s.put("job", j == null ? null : List.of(j.getRetries(), String.valueOf(j.getExceptionMessage()), j.getDuedate(),
        j.isSuspended(), j.getPriority()));
    s.put("job failures", engine.getHistoryService().createHistoricJobLogQuery().jobId(job).failureLog().count());
    var jd = management.createJobDefinitionQuery().jobDefinitionId(jobDefinition).singleResult();
    s.put("job definition", jd == null ? null : List.of(jd.isSuspended(), String.valueOf(jd.getOverridingJobPriority())));
    var pi = runtime.createProcessInstanceQuery().processInstanceId(instance).singleResult();
    s.put("instance", pi == null ? null : pi.isSuspended());
    s.put("variables", pi == null ? null : new TreeMap<>(runtime.getVariables(instance)));
    s.put("incidents", runtime.createIncidentQuery().processInstanceId(instance).list().stream()
        .map(i -> i.getId() + ":" + i.getAnnotation()).sorted().toList());
    Task t = tasks.createTaskQuery().taskId(task).singleResult();
    s.put("task", t == null ? null : List.of(String.valueOf(t.getAssignee()), String.valueOf(t.getOwner()),
        String.valueOf(t.getName()), String.valueOf(t.getDescription()), t.getPriority(), String.valueOf(t.getDueDate()),
        String.valueOf(t.getFollowUpDate()), String.valueOf(t.getDelegationState()), t.isSuspended()));
    s.put("task links", t == null ? null : tasks.getIdentityLinksForTask(task).stream()
        .map(l -> l.getType() + ":" + l.getUserId() + ":" + l.getGroupId()).sorted().toList());
    s.put("task local variables", t == null ? null : new TreeMap<>(tasks.getVariablesLocal(task)));
    s.put("comments", tasks.getProcessInstanceComments(instance).stream().map(c -> c.getId() + ":" + c.getFullMessage())
        .sorted().toList());
    s.put("attachments", tasks.getProcessInstanceAttachments(instance).stream()
        .map(a -> a.getId() + ":" + a.getName() + ":" + a.getDescription()).sorted().toList());
    var identity = engine.getIdentityService();
    s.put("users", identity.createUserQuery().list().stream()
        .map(u -> u.getId() + ":" + u.getFirstName() + ":" + u.getLastName() + ":" + u.getEmail()).sorted().toList());
    s.put("passwords", List.of(identity.checkPassword(TARGET_USER, TARGET_USER)));
    s.put("groups", identity.createGroupQuery().list().stream().map(g -> g.getId() + ":" + g.getName()).sorted().toList());
    s.put("memberships", Groups.ALL.stream().map(g -> g + "=" + identity.createUserQuery().memberOfGroup(g).count()).toList());
    s.put("tenants", identity.createTenantQuery().count());
    s.put("authorizations", engine.getAuthorizationService().createAuthorizationQuery().list().stream()
        .map(a -> a.getId() + ":" + a.getPermissions(org.camunda.bpm.engine.authorization.Permissions.values()).length
            + ":" + a.getResourceId()).sorted().toList());
    var repository = engine.getRepositoryService();
    s.put("deployments", repository.createDeploymentQuery().count());
    s.put("definitions", repository.createProcessDefinitionQuery().count() + " suspended "
        + repository.createProcessDefinitionQuery().suspended().count());
    s.put("definition ttl", repository.getProcessDefinition(definition).getHistoryTimeToLive());
    s.put("filters", engine.getFilterService().createFilterQuery().list().stream()
        .map(f -> f.getId() + ":" + f.getName() + ":" + f.getOwner()).sorted().toList());
    s.put("batches", management.createBatchQuery().count() + " " + engine.getHistoryService().createHistoricBatchQuery().count());
    s.put("new runs", engine.getHistoryService().createHistoricProcessInstanceQuery().rootProcessInstances()
        .startedAfter(since).count());
    s.put("history", engine.getHistoryService().createHistoricProcessInstanceQuery().processInstanceId(instance).count()
        + " " + engine.getHistoryService().createHistoricVariableInstanceQuery().processInstanceId(instance).count());
    // the twin's controls, read from their beans (what GET /rehearsal/autopilot and /faults show)
    s.put("autopilot", List.of(autopilot.isEnabled(), autopilot.delay(), String.valueOf(autopilot.answers())));
    s.put("faults", faults.list());
    StringBuilder out = new StringBuilder();
    s.forEach((k, v) -> out.append(k).append(": ").append(v).append('\n'));
    return out.toString();
  }
}
