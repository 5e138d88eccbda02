package org.lsst.ts.upgrade.webapps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.history.HistoricTaskInstance;
import org.camunda.bpm.engine.history.UserOperationLogEntry;
import org.camunda.bpm.engine.runtime.ActivityInstance;
import org.camunda.bpm.engine.runtime.TransitionInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.lsst.ts.upgrade.BasicAuthHttp;
import org.lsst.ts.upgrade.RehearsalTest;
import org.lsst.ts.upgrade.RequiresChromium;
import org.lsst.ts.upgrade.TestRuns;
import org.lsst.ts.upgrade.rehearsal.Autopilot;
import org.lsst.ts.upgrade.rehearsal.TwinReset;
import org.lsst.ts.upgrade.runbook.testing.MinimalTestingIds;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.Rectangle;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.interactions.WheelInput;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.util.FileSystemUtils;

/**
 * The Camunda webapps in a real browser (Debian's headless Chromium) on the rehearsal twin: an
 * operator completes a run's task in Tasklist through its Camunda Form; a manager follows a running
 * upgrade on Cockpit's diagram and finds it in the run history. Screenshots of each page go to
 * {@code target/screenshots/}; a failing test leaves its page there too ({@code failed-*}).
 */
@RehearsalTest
@RequiresChromium
class WebappBrowserTests {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final Path CHROMIUM_DIR = Path.of("target", "chromium");
  private static final Duration PAGE = Duration.ofSeconds(30);
  private static final Pattern SCALE = Pattern.compile("matrix\\(\\s*([-0-9.e]+)");

  @LocalServerPort int port;
  @Autowired RuntimeService runtime;
  @Autowired HistoryService history;
  @Autowired org.camunda.bpm.engine.TaskService taskService;
  @Autowired org.camunda.bpm.engine.RepositoryService repository;
  @Autowired Autopilot autopilot;
  @Autowired TwinReset twin;

  private final List<String> started = new ArrayList<>();
  private final List<String> sites = new ArrayList<>();
  private String testName;
  private Path profile;
  private WebDriver browser;
  private WebDriverWait wait;

  /** On failure, before the browser is closed: what the page showed. */
  @RegisterExtension
  final AfterTestExecutionCallback onFailure = context -> context.getExecutionException().ifPresent(e -> {
    if (browser != null) {
      try {
        screenshot("failed-" + testName);
        Files.writeString(SCREENSHOTS.resolve("failed-" + testName + ".html"), browser.getPageSource());
      } catch (RuntimeException | IOException ignored) {
        // the test's own failure is the one to report
      }
    }
  });

  @BeforeEach
  void setUp(TestInfo info) throws IOException {
    RequiresChromium.Binaries.require();
    testName = info.getTestMethod().orElseThrow().getName();
    Files.createDirectories(SCREENSHOTS);
    // runs wait for a person: nobody else may answer their tasks
    autopilot.setEnabled(false);
  }

  @AfterEach
  void cleanUp() {
    if (browser != null) {
      browser.quit();
      FileSystemUtils.deleteRecursively(profile.toFile());
    }
    TestRuns.cancelLeftovers(runtime, started, "tts");
    // the twin site back as it was for the next test on the shared context: the run was cut short
    sites.forEach(twin::reset);
  }

  @Test
  void anOperatorCompletesARunsTaskInTasklistThroughItsForm() throws Exception {
    // a minimal test on TTS, which waits for the operator at AuxTel's housekeeping
    String pid = startRun("{\"process\":\"minimal-testing\",\"site\":\"tts\",\"telescopes\":[\"auxtel\"]}", "tts");
    // the plan, approved as the operator would (the preflight's task comes first)
    HistoricTaskInstance plan = openTask(pid, "UserTask_ApprovePlan");
    taskService.complete(plan.getId(), Map.of("planDecision", "approve"));
    openBrowser();
    login("tasklist", "operator");
    HistoricTaskInstance open = openTask(pid, MinimalTestingIds.AUXTEL_HOUSEKEEPING);
    String taskId = open.getId();
    String nublado = (String) runtime.getVariable(open.getExecutionId(), MinimalTestingIds.VAR_NUBLADO_URL);
    assertThat(nublado).as("the site's Nublado, which the form shows").isNotBlank();

    browser.get(url("/camunda/app/tasklist/default/#/?task=" + taskId));
    // Tasklist renders the task's Camunda Form, filled with the run's variables
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".fjs-form-field-text"),
        "auxtel_housekeeping.py"));
    wait.until(d -> "tts".equals(field("Site").getDomProperty("value")));
    wait.until(d -> nublado.equals(field("Nublado").getDomProperty("value")));
    assertThat(field("Site").getDomAttribute("readonly")).as("the site is shown, not edited").isNotNull();

    // claimed, filled in and completed as a person does it: Complete is enabled only once claimed
    assertThat(completeButton().isEnabled()).as("Complete before the task is claimed").isFalse();
    browser.findElement(By.cssSelector("button.claim")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".assignee"), "operator"));
    field("Notes (optional)").sendKeys("checked in Tasklist by the browser test");
    screenshot("tasklist-task-form");
    wait.until(ExpectedConditions.elementToBeClickable(completeButton())).click();

    // the engine: completed by the operator, with what the form sent
    await().atMost(PAGE).until(() -> history.createHistoricTaskInstanceQuery().taskId(taskId).finished().count() == 1);
    HistoricTaskInstance done = history.createHistoricTaskInstanceQuery().taskId(taskId).singleResult();
    assertThat(done.getDeleteReason()).isEqualTo("completed");
    assertThat(done.getAssignee()).isEqualTo("operator");
    assertThat(history.createUserOperationLogQuery().taskId(taskId)
        .operationType(UserOperationLogEntry.OPERATION_TYPE_COMPLETE).list())
        .extracting(UserOperationLogEntry::getUserId).containsExactly("operator");
    assertThat(history.createHistoricVariableInstanceQuery().processInstanceId(pid)
        .variableName("auxtelHousekeepingNotes").singleResult().getValue())
        .isEqualTo("checked in Tasklist by the browser test");
    // ... and Tasklist closes the form
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(".fjs-container")));
  }

  @Test
  void aManagerFollowsARunningUpgradeOnCockpitsDiagramAndInTheRunHistory() throws Exception {
    // a Summit full upgrade, which waits early for an operator's confirmation
    String pid = startRun("{\"process\":\"full-upgrade\",\"site\":\"summit\",\"cycle\":\"Cycle 40\","
        + "\"breakingSchemaChange\":false,\"phalanxRef\":\"tickets/DM-12345\","
        + "\"dockerComposeOpsBranch\":\"cycle40\",\"loveIntegrationToolsBranch\":\"cycle40\"}", "summit");
    openBrowser();
    login("cockpit", "manager");
    HistoricTaskInstance open = openTask(pid, null);
    String runId = runtime.createProcessInstanceQuery().processInstanceId(pid).singleResult().getBusinessKey();
    // where the waiting run is, from the engine (the model's ids are not this test's business):
    // each activity with its number of instances
    Map<String, Long> current = new LinkedHashMap<>();
    countInstances(runtime.getActivityInstance(pid), current);
    assertThat(current).as("activities of the waiting run").isNotEmpty();

    browser.get(url("/camunda/app/cockpit/default/#/process-instance/" + pid + "/runtime"));
    // bpmn-js draws the process as SVG shapes; Cockpit marks each active activity with an overlay
    // badge at the shape's bottom left that counts its running instances
    current.forEach((id, count) -> {
      waitFor("badge of " + id + " on its shape").until(d -> badgeOnShape(id));
      assertThat(badge(id).getText()).as("running instances of %s", id).isEqualTo(String.valueOf(count));
    });
    assertThat(browser.findElements(By.cssSelector("svg g.djs-shape[data-element-id]"))).as("shapes drawn")
        .hasSizeGreaterThan(10);
    // ... and only those
    List<String> badged = browser.findElements(By.cssSelector(".djs-overlays")).stream()
        .filter(o -> o.findElements(By.cssSelector(".badge.instance-count")).stream().anyMatch(WebElement::isDisplayed))
        .map(o -> o.getDomAttribute("data-container-id")).toList();
    assertThat(badged).containsExactlyInAnyOrderElementsOf(current.keySet());
    zoomTo(current.keySet().iterator().next());
    screenshot("cockpit-process-instance");

    // the dashboard's run history (our Cockpit plugin) lists the run
    browser.get(url("/camunda/app/cockpit/default/#/dashboard"));
    WebElement section = wait.until(ExpectedConditions.visibilityOfElementLocated(
        By.cssSelector("section.upgrade-run-history")));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.linkText(runId)));
    // filtered as a manager does, one filter at a time: the Summit's one active run
    new Select(section.findElement(By.cssSelector("select"))).selectByValue("ACTIVE");
    wait.until(d -> runLinks(section).contains(runId) && !section.getText().contains("Loading runs"));
    section.findElement(By.cssSelector("input[type='text']")).sendKeys("summit", Keys.ENTER);
    wait.until(d -> runLinks(section).equals(List.of(runId)) && !section.getText().contains("Loading runs"));
    // its report, with the task it waits at (the same query may redraw the list once more)
    wait.until(d -> {
      section.findElement(By.linkText(runId)).click();
      return true;
    });
    wait.until(ExpectedConditions.textToBePresentInElement(section, "Run " + runId));
    assertThat(section.getText()).contains("full-upgrade on summit").contains("ACTIVE").contains(open.getName());
    ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView(true)", section);
    screenshot("cockpit-dashboard-run-history");
  }

  /**
   * Every runbook process, as Cockpit draws it with bpmn-js from the deployed file: each shape and
   * each flow of the file is on the canvas (the diagram data is complete and bpmn-js reads it). The
   * screenshots (target/screenshots/processes/) are the diagrams in docs/processes/.
   */
  @Test
  void everyRunbookProcessIsDrawnWholeByCockpit() throws Exception {
    openBrowser();
    browser.manage().window().setSize(new org.openqa.selenium.Dimension(2400, 1500));
    login("cockpit", "manager");
    Path dir = Files.createDirectories(SCREENSHOTS.resolve("processes"));
    List<Path> files;
    try (var s = Files.list(Path.of("processes"))) {
      files = s.filter(f -> f.toString().endsWith(".bpmn")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThan(20);
    for (Path file : files) {
      String key = file.getFileName().toString().replace(".bpmn", "");
      String definition = repository.createProcessDefinitionQuery().processDefinitionKey(key).latestVersion()
          .singleResult().getId();
      String xml = Files.readString(file);
      List<String> shapes = ids(xml, "BPMNShape");
      List<String> edges = ids(xml, "BPMNEdge");
      browser.get(url("/camunda/app/cockpit/default/#/process-definition/" + definition + "/runtime"));
      waitFor("every shape and flow of " + key).until(d -> {
        var drawn = d.findElements(By.cssSelector("svg g[data-element-id]")).stream()
            .map(e -> e.getDomAttribute("data-element-id")).collect(java.util.stream.Collectors.toSet());
        return drawn.containsAll(shapes) && drawn.containsAll(edges);
      });
      WebElement canvas = browser.findElement(By.cssSelector(".djs-container"));
      Files.copy(canvas.getScreenshotAs(OutputType.FILE).toPath(), dir.resolve(key + ".png"),
          StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** The bpmnElement ids of the file's diagram elements of one kind. */
  private static List<String> ids(String xml, String diagramElement) {
    List<String> ids = new ArrayList<>();
    Matcher m = Pattern.compile("<bpmndi:" + diagramElement + "\\b[^>]*\\bbpmnElement=\"([^\"]+)\"").matcher(xml);
    while (m.find()) {
      ids.add(m.group(1));
    }
    assertThat(ids).as(diagramElement + "s in the file").isNotEmpty();
    return ids;
  }

  /** Debian's Chromium through Debian's driver; never Selenium Manager, which would download them. */
  private void openBrowser() throws IOException {
    profile = Files.createTempDirectory(Files.createDirectories(CHROMIUM_DIR), "profile-");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(RequiresChromium.CHROMEDRIVER.toFile()).usingAnyFreePort()
        .withLogFile(CHROMIUM_DIR.resolve("chromedriver-" + testName + ".log").toFile()).build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(RequiresChromium.CHROMIUM.toString());
    // root, no display, closed network: no sandbox, no GPU, nothing fetched in the background and no
    // name resolved (a page asking for anything but the application fails at once instead of hanging)
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        "--window-size=1600,1000", "--lang=en-US",
        "--user-data-dir=" + profile.toAbsolutePath());
    browser = new ChromeDriver(service, options);
    wait = new WebDriverWait(browser, PAGE);
    wait.ignoring(StaleElementReferenceException.class);
  }

  /** The activities in a process instance's tree, nested ones too, with their instances (waiting jobs too). */
  private static void countInstances(ActivityInstance scope, Map<String, Long> into) {
    for (ActivityInstance a : scope.getChildActivityInstances()) {
      if (!a.getActivityId().contains("#")) { // a multi-instance body has no shape of its own
        into.merge(a.getActivityId(), 1L, Long::sum);
      }
      countInstances(a, into);
    }
    for (TransitionInstance t : scope.getChildTransitionInstances()) {
      into.merge(t.getActivityId(), 1L, Long::sum);
    }
  }

  /** A wait of the page that names what it waited for when it times out. */
  private FluentWait<WebDriver> waitFor(String what) {
    return new WebDriverWait(browser, PAGE).withMessage(what).ignoring(StaleElementReferenceException.class);
  }

  /** Starts a run through the run API as the operator; cancelled, and its twin site reset, after the test. */
  private String startRun(String json, String site) throws Exception {
    HttpResponse<String> r = BasicAuthHttp.as(port, "operator").post("/api/runs", json);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    String pid = JSON.readTree(r.body()).path("processInstanceId").asText();
    started.add(pid);
    sites.add(site);
    return pid;
  }

  /** The run's open task (of this definition, or any), in the run itself or a process it called. */
  private HistoricTaskInstance openTask(String pid, String taskDefinitionKey) {
    return await().atMost(Duration.ofSeconds(60)).until(() -> {
      var q = history.createHistoricTaskInstanceQuery().rootProcessInstanceId(pid).unfinished();
      if (taskDefinitionKey != null) {
        q.taskDefinitionKey(taskDefinitionKey);
      }
      return q.list().stream().findFirst().orElse(null);
    }, t -> t != null);
  }

  /** The webapp's own login form, as a person fills it in. */
  private void login(String app, String user) {
    browser.get(url("/camunda/app/" + app + "/default/#/login"));
    String form = "form[name='signinForm'] ";
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(form + "input[type='text']")))
        .sendKeys(user);
    browser.findElement(By.cssSelector(form + "input[type='password']")).sendKeys(user);
    browser.findElement(By.cssSelector(form + "button[type='submit']")).click();
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector(form)));
    // signed in: the account menu names the user
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("li.account > a"), user));
  }

  /** A field of the Camunda Form, by its label. */
  private WebElement field(String label) {
    return browser.findElement(By.xpath("//div[contains(@class,'fjs-form-field')][label[normalize-space()='"
        + label + "']]//input"));
  }

  private WebElement completeButton() {
    return browser.findElement(By.cssSelector("button[ng-click='complete()']"));
  }

  private WebElement shape(String activityId) {
    return browser.findElement(By.cssSelector("svg g.djs-shape[data-element-id='" + activityId + "']"));
  }

  private WebElement badge(String activityId) {
    return browser.findElement(By.cssSelector(
        ".djs-overlays[data-container-id='" + activityId + "'] .badge.instance-count"));
  }

  /** The activity's badge is shown at its shape's bottom-left corner (where the page has put it by now). */
  private boolean badgeOnShape(String activityId) {
    Rectangle s = shape(activityId).getRect();
    WebElement badge = badge(activityId);
    Rectangle b = badge.getRect();
    int x = b.getX() + b.getWidth() / 2;
    int y = b.getY() + b.getHeight() / 2;
    return badge.isDisplayed() && x >= s.getX() - b.getWidth() && x <= s.getX() + s.getWidth() / 2
        && y >= s.getY() + s.getHeight() / 2 && y <= s.getY() + s.getHeight() + b.getHeight();
  }

  /**
   * Zooms the diagram in around an activity, to about its natural size, as a person does: Ctrl and
   * the mouse wheel, one zoom step (x1.16) per wheel event.
   */
  private void zoomTo(String activityId) {
    double before = scale(browser.findElement(By.cssSelector("svg g.viewport")).getDomAttribute("transform"));
    long steps = Math.round(Math.log(1 / before) / Math.log(1.16));
    if (steps <= 0) {
      return;
    }
    WheelInput.ScrollOrigin at = WheelInput.ScrollOrigin.fromElement(shape(activityId));
    Actions zoom = new Actions(browser).keyDown(Keys.CONTROL);
    for (long i = 0; i < steps; i++) {
      zoom.scrollFromOrigin(at, 0, -100);
    }
    zoom.keyUp(Keys.CONTROL).perform();
    // the overlays follow the diagram a moment later (bpmn-js debounces the view change)
    waitFor("diagram and overlays zoomed in from " + before).until(d -> {
      double diagram = scale(d.findElement(By.cssSelector("svg g.viewport")).getDomAttribute("transform"));
      double overlays = scale(d.findElement(By.cssSelector(".djs-overlay-container")).getCssValue("transform"));
      return diagram > before * 1.1 && Math.abs(diagram - overlays) < 0.01;
    });
    waitFor("badge of " + activityId + " on its zoomed shape").until(d -> badgeOnShape(activityId));
  }

  private static double scale(String matrix) {
    Matcher m = SCALE.matcher(String.valueOf(matrix));
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  private static List<String> runLinks(WebElement section) {
    return section.findElements(By.cssSelector("tbody td:first-child a")).stream().map(WebElement::getText).toList();
  }

  private String url(String path) {
    return "http://127.0.0.1:" + port + path;
  }

  private void screenshot(String name) {
    Path png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
    try {
      Files.copy(png, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
