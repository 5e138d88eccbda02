package org.lsst.ts.upgrade.runbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.lsst.ts.upgrade.runbook.BpmnConventions.BPMN;
import static org.lsst.ts.upgrade.runbook.BpmnConventions.BPMNDI;
import static org.lsst.ts.upgrade.runbook.BpmnConventions.CAMUNDA;
import static org.lsst.ts.upgrade.runbook.BpmnConventions.DC;
import static org.lsst.ts.upgrade.runbook.BpmnConventions.MODELER;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.instance.Process;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The process files are the source (edited in Camunda Modeler): these checks keep them executable
 * and readable. Each rule is also shown to catch a broken copy of a real file.
 */
class BpmnConventionsTests {
  static final Path PROCESSES = Path.of("processes");
  static final Path FORMS = Path.of("forms");

  @Test
  void theProcessesFollowTheConventions() throws Exception {
    assertThat(BpmnConventions.problems(PROCESSES, FORMS)).isEmpty();
  }

  @Test
  void everyProcessFileIsValidBpmnAndTheTestProcessesHaveAHistoryTimeToLiveToo() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Stream.concat(Files.list(PROCESSES), Files.list(Path.of("src/test/resources/processes")))) {
      files = s.filter(p -> p.toString().endsWith(".bpmn")).toList();
    }
    assertThat(files).hasSizeGreaterThan(20);
    for (Path f : files) {
      var model = Bpmn.readModelFromFile(f.toFile());
      Bpmn.validateModel(model);
      for (Process p : model.getModelElementsByType(Process.class)) {
        assertThat(p.getCamundaHistoryTimeToLiveString()).as(f + ": historyTimeToLive").isNotBlank();
      }
    }
  }

  /** A broken copy of one real file, and the problem the checks must report for it. */
  record Breakage(String why, String file, Consumer<Document> edit, String expected) {
    @Override
    public String toString() {
      return why;
    }
  }

  static Stream<Arguments> breakages() {
    return Stream.of(
        new Breakage("a remote step that is not asynchronous", "run-script.bpmn",
            d -> byId(d, "ServiceTask_AddScript").removeAttributeNS(CAMUNDA, "asyncBefore"),
            "ServiceTask_AddScript (addScript) reaches out of the engine"),
        new Breakage("a remote step without a retry cycle", "sync-app.bpmn",
            d -> remove(BpmnConventions.descendants(byId(d, "ServiceTask_CheckAppSync"), CAMUNDA,
                "failedJobRetryTimeCycle").get(0)),
            "retry cycle=false"),
        new Breakage("a delegate that does not exist", "run-script.bpmn",
            d -> byId(d, "ServiceTask_CheckScript").setAttributeNS(CAMUNDA, "camunda:delegateExpression", "${checkScripts}"),
            "names bean 'checkScripts', which does not exist"),
        new Breakage("a listener bean that does not exist", "prepare-and-announce.bpmn",
            d -> BpmnConventions.descendants(byId(d, "UserTask_FixHeldStates"), CAMUNDA, "taskListener").get(0)
                .setAttribute("delegateExpression", "${validateHeldState}"),
            "names bean 'validateHeldState'"),
        new Breakage("a form that does not exist", "sync-app.bpmn",
            d -> byId(d, "UserTask_HandleSyncFailure").setAttributeNS(CAMUNDA, "camunda:formRef", "sync-failure"),
            "refers to form 'sync-failure', which is not in forms/"),
        new Breakage("a user task offered to managers", "clean-up-cluster.bpmn",
            d -> byId(d, "UserTask_ReviewLeftovers").setAttributeNS(CAMUNDA, "camunda:candidateGroups", "managers"),
            "is offered to 'managers'"),
        new Breakage("no history time to live", "await-csc-states.bpmn",
            d -> byId(d, "await-csc-states").removeAttributeNS(CAMUNDA, "historyTimeToLive"),
            "no camunda:historyTimeToLive"),
        new Breakage("an id the constants class does not know", "run-script.bpmn",
            d -> renameNode(d, "Timer_ScriptPoll", "Timer_ScriptPollAgain"),
            "RunScriptIds lacks constants for [Timer_ScriptPollAgain]"),
        new Breakage("an error code written another way", "run-scripts.bpmn",
            d -> byId(d, "Error_ScriptFailed").setAttribute("errorCode", "ScriptFailed"),
            "error code 'ScriptFailed'"),
        new Breakage("a call of a process that does not exist", "full-upgrade.bpmn",
            d -> byId(d, "CallActivity_Redeploy").setAttribute("calledElement", "re-deploy"),
            "calls 're-deploy'"),
        new Breakage("a node without a shape", "run-script.bpmn",
            d -> remove(shapeOf(d, "ServiceTask_CheckScript")),
            "ServiceTask_CheckScript has no shape"),
        new Breakage("a flow without an edge", "run-script.bpmn",
            d -> remove(edgeOf(d, "Flow_ToCheckScript")),
            "flow Flow_ToCheckScript has no edge"),
        new Breakage("two shapes on top of each other", "run-script.bpmn",
            d -> moveOnto(d, "ServiceTask_CheckScript", "ServiceTask_AddScript"),
            "shapes overlap: ServiceTask_AddScript / ServiceTask_CheckScript"),
        new Breakage("a decision that is not a question", "send-cscs-offline.bpmn",
            d -> byId(d, "Gateway_AllOffline").setAttribute("name", "Decision"),
            "diverging gateway Gateway_AllOffline is not named as a question"),
        new Breakage("an answer without a name", "send-cscs-offline.bpmn",
            d -> byId(d, "Flow_AllOffline").removeAttribute("name"),
            "answer Flow_AllOffline of gateway Gateway_AllOffline has no name"),
        new Breakage("a generated flow id", "run-script.bpmn",
            d -> renameFlow(d, "Flow_ToCheckScript", "sequenceFlow_17"),
            "flow id 'sequenceFlow_17' is not readable"),
        new Breakage("a generated node id", "camera-services.bpmn",
            d -> renameNode(d, "ServiceTask_NotifyCameraStage2", "Activity_0x1y2z3"),
            "node id 'Activity_0x1y2z3' is not readable"),
        new Breakage("the main path running right to left", "schema-compatibility-relax.bpmn",
            d -> moveBy(d, "EndEvent_CompatibilityRelaxed", -600),
            "flow Flow_ToRelaxed runs right to left but closes no loop"),
        new Breakage("more than 40 flow nodes", "full-upgrade.bpmn", BpmnConventionsTests::addManyTasks,
            "flow nodes (at most 40"),
        new Breakage("not a Camunda 7 Modeler file", "run-script.bpmn",
            d -> d.getDocumentElement().removeAttributeNS(MODELER, "executionPlatform"),
            "not a Camunda 7 Modeler file"))
        .map(Arguments::of);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("breakages")
  void aBrokenCopyIsCaught(Breakage b, @TempDir Path dir) throws Exception {
    Path copy = dir.resolve("processes");
    Files.createDirectories(copy);
    try (Stream<Path> s = Files.list(PROCESSES)) {
      for (Path f : s.toList()) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    Document doc = BpmnConventions.parse(copy.resolve(b.file()));
    b.edit().accept(doc);
    TransformerFactory.newInstance().newTransformer().transform(new DOMSource(doc),
        new StreamResult(copy.resolve(b.file()).toFile()));

    assertThat(BpmnConventions.problems(copy, FORMS)).as(b.why()).anySatisfy(p -> assertThat(p).contains(b.expected()));
  }

  // ------------------------------------------------------------------ edits

  static Element byId(Document d, String id) {
    for (String ns : List.of(BPMN)) {
      var all = d.getElementsByTagNameNS(ns, "*");
      for (int i = 0; i < all.getLength(); i++) {
        Element e = (Element) all.item(i);
        if (id.equals(e.getAttribute("id"))) {
          return e;
        }
      }
    }
    throw new AssertionError("no element " + id);
  }

  static Element shapeOf(Document d, String id) {
    return BpmnConventions.descendants(d.getDocumentElement(), BPMNDI, "BPMNShape").stream()
        .filter(s -> s.getAttribute("bpmnElement").equals(id)).findFirst().orElseThrow();
  }

  static Element edgeOf(Document d, String id) {
    return BpmnConventions.descendants(d.getDocumentElement(), BPMNDI, "BPMNEdge").stream()
        .filter(s -> s.getAttribute("bpmnElement").equals(id)).findFirst().orElseThrow();
  }

  static void remove(Element e) {
    e.getParentNode().removeChild(e);
  }

  static void renameNode(Document d, String from, String to) {
    byId(d, from).setAttribute("id", to);
    shapeOf(d, from).setAttribute("bpmnElement", to);
    for (Element f : BpmnConventions.descendants(d.getDocumentElement(), BPMN, "sequenceFlow")) {
      for (String a : List.of("sourceRef", "targetRef")) {
        if (f.getAttribute(a).equals(from)) {
          f.setAttribute(a, to);
        }
      }
    }
    for (String tag : List.of("incoming", "outgoing")) {
      for (Element e : BpmnConventions.descendants(d.getDocumentElement(), BPMN, tag)) {
        if (e.getTextContent().equals(from)) {
          e.setTextContent(to);
        }
      }
    }
  }

  static void renameFlow(Document d, String from, String to) {
    byId(d, from).setAttribute("id", to);
    edgeOf(d, from).setAttribute("bpmnElement", to);
    for (String tag : List.of("incoming", "outgoing")) {
      for (Element e : BpmnConventions.descendants(d.getDocumentElement(), BPMN, tag)) {
        if (e.getTextContent().equals(from)) {
          e.setTextContent(to);
        }
      }
    }
  }

  static void moveOnto(Document d, String moved, String onto) {
    Element to = BpmnConventions.descendants(shapeOf(d, onto), DC, "Bounds").get(0);
    Element b = BpmnConventions.descendants(shapeOf(d, moved), DC, "Bounds").get(0);
    b.setAttribute("x", to.getAttribute("x"));
    b.setAttribute("y", to.getAttribute("y"));
  }

  static void moveBy(Document d, String id, double dx) {
    Element b = BpmnConventions.descendants(shapeOf(d, id), DC, "Bounds").get(0);
    b.setAttribute("x", String.valueOf(Double.parseDouble(b.getAttribute("x")) + dx));
  }

  /** 40 more tasks in a row after the start event, with their shapes: the process no longer fits a screen. */
  static void addManyTasks(Document d) {
    Element process = byId(d, "full-upgrade");
    Element plane = BpmnConventions.descendants(d.getDocumentElement(), BPMNDI, "BPMNPlane").get(0);
    for (int i = 0; i < 40; i++) {
      Element t = d.createElementNS(BPMN, "bpmn:manualTask");
      t.setAttribute("id", "UserTask_Extra" + (char) ('A' + i / 26) + (char) ('A' + i % 26));
      process.appendChild(t);
      Element s = d.createElementNS(BPMNDI, "bpmndi:BPMNShape");
      s.setAttribute("bpmnElement", t.getAttribute("id"));
      Element b = d.createElementNS(DC, "dc:Bounds");
      b.setAttribute("x", String.valueOf(200 + 120 * i));
      b.setAttribute("y", "2000");
      b.setAttribute("width", "100");
      b.setAttribute("height", "80");
      s.appendChild(b);
      plane.appendChild(s);
    }
  }
}
