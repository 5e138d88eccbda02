package org.lsst.ts.upgrade.runbook;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.lsst.ts.upgrade.security.Groups;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.filter.RegexPatternTypeFilter;
import org.springframework.stereotype.Component;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The conventions every {@code processes/*.bpmn} follows, checked over the files themselves (they
 * are the source, edited in Camunda Modeler): what the generator used to guarantee, and the layout
 * rules a reviewer checks. {@link #problems} lists every violation with its file and element.
 */
final class BpmnConventions {
  static final String BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL";
  static final String BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI";
  static final String DC = "http://www.omg.org/spec/DD/20100524/DC";
  static final String DI = "http://www.omg.org/spec/DD/20100524/DI";
  static final String CAMUNDA = "http://camunda.org/schema/1.0/bpmn";
  static final String MODELER = "http://camunda.org/schema/modeler/1.0";
  static final int MAX_FLOW_NODES = 40;

  static final Set<String> FLOW_NODES = Set.of("task", "serviceTask", "userTask", "scriptTask", "sendTask", "receiveTask",
      "manualTask", "businessRuleTask", "callActivity", "subProcess", "startEvent", "endEvent",
      "intermediateCatchEvent", "intermediateThrowEvent", "exclusiveGateway", "parallelGateway", "inclusiveGateway",
      "eventBasedGateway", "boundaryEvent");
  /** A readable node id: its kind, then words (Modeler's generated {@code Activity_0x1y2z3} is not). */
  static final Pattern NODE_ID = Pattern.compile(
      "(StartEvent|EndEvent|ServiceTask|UserTask|CallActivity|Gateway|Timer|MessageEvent|BoundaryEvent|SubProcess)_[A-Z][A-Za-z0-9]*");
  static final Pattern FLOW_ID = Pattern.compile("Flow_[A-Z][A-Za-z0-9]*");
  static final Pattern ERROR_CODE = Pattern.compile("[A-Z][A-Z0-9]*(_[A-Z0-9]+)*");
  /** A bean named at the start of an expression: {@code ${postNotice}}, {@code ${requireConfirmation.check(...)}}. */
  static final Pattern BEAN = Pattern.compile("\\$\\{\\s*([A-Za-z_][A-Za-z0-9_]*)");

  private final Path processes;
  private final Path forms;
  private final Map<String, Class<?>> beans;
  private final Map<String, Class<?>> idsClasses;
  private final List<String> problems = new ArrayList<>();

  private BpmnConventions(Path processes, Path forms, Map<String, Class<?>> beans, Map<String, Class<?>> idsClasses) {
    this.processes = processes;
    this.forms = forms;
    this.beans = beans;
    this.idsClasses = idsClasses;
  }

  /** Every violation in the process files of {@code processes}, whose forms are in {@code forms}. */
  static List<String> problems(Path processes, Path forms) throws Exception {
    BpmnConventions c = new BpmnConventions(processes, forms, runbookBeans(), idsClasses());
    c.check();
    return c.problems;
  }

  // ------------------------------------------------------------------ what the code provides

  /** The runbook's bean names, found as the application finds them: components and {@code @Bean} methods. */
  static Map<String, Class<?>> runbookBeans() throws ClassNotFoundException {
    Map<String, Class<?>> beans = new HashMap<>();
    for (Class<?> type : scan(new RegexPatternTypeFilter(Pattern.compile(".*")), true)) {
      Component component = type.getAnnotation(Component.class);
      String name = component != null && !component.value().isEmpty() ? component.value()
          : Character.toLowerCase(type.getSimpleName().charAt(0)) + type.getSimpleName().substring(1);
      beans.put(name, type);
      if (type.isAnnotationPresent(Configuration.class)) {
        for (Method m : type.getDeclaredMethods()) {
          if (m.isAnnotationPresent(Bean.class)) {
            beans.put(m.getName(), m.getReturnType());
          }
        }
      }
    }
    return beans;
  }

  /** The constants classes: process key → its {@code *Ids} class. */
  static Map<String, Class<?>> idsClasses() throws ClassNotFoundException, IllegalAccessException {
    Map<String, Class<?>> byKey = new HashMap<>();
    for (Class<?> type : scan(new RegexPatternTypeFilter(Pattern.compile(".*Ids")), false)) {
      try {
        byKey.put((String) type.getField("KEY").get(null), type);
      } catch (NoSuchFieldException e) {
        throw new AssertionError(type.getName() + " is a constants class of a process but has no KEY");
      }
    }
    return byKey;
  }

  private static List<Class<?>> scan(org.springframework.core.type.filter.TypeFilter filter, boolean components)
      throws ClassNotFoundException {
    ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(components) {
      @Override
      protected boolean isCandidateComponent(org.springframework.beans.factory.annotation.AnnotatedBeanDefinition d) {
        return d.getMetadata().isIndependent();
      }
    };
    if (!components) {
      scanner.addIncludeFilter(filter);
    }
    List<Class<?>> types = new ArrayList<>();
    for (BeanDefinition d : scanner.findCandidateComponents("org.lsst.ts.upgrade.runbook")) {
      Class<?> type = Class.forName(d.getBeanClassName());
      // main code only: test classes live in the same packages
      if (type.getProtectionDomain().getCodeSource().getLocation().getPath().contains("test-classes")) {
        continue;
      }
      if (type.getPackageName().startsWith("org.lsst.ts.upgrade.runbook.runs")) {
        continue;
      }
      types.add(type);
    }
    return types;
  }

  // ------------------------------------------------------------------ the checks

  private void check() throws Exception {
    Set<String> formIds = formIds();
    List<Path> files;
    try (Stream<Path> s = Files.list(processes)) {
      files = s.filter(p -> p.toString().endsWith(".bpmn")).sorted().toList();
    }
    if (files.isEmpty()) {
      problems.add(processes + ": no .bpmn files");
    }
    Set<String> keys = new HashSet<>();
    List<Document> docs = new ArrayList<>();
    for (Path f : files) {
      Document d = parse(f);
      docs.add(d);
      for (Element p : children(d.getDocumentElement(), BPMN, "process")) {
        keys.add(p.getAttribute("id"));
      }
    }
    for (int i = 0; i < files.size(); i++) {
      checkFile(files.get(i).getFileName().toString(), docs.get(i), keys, formIds);
    }
    for (String key : idsClasses.keySet()) {
      if (!keys.contains(key)) {
        problems.add(idsClasses.get(key).getSimpleName() + ": KEY '" + key + "' names no process in " + processes);
      }
    }
  }

  private Set<String> formIds() throws IOException {
    Set<String> ids = new HashSet<>();
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    try (Stream<Path> s = Files.list(forms)) {
      for (Path f : s.filter(p -> p.toString().endsWith(".form")).sorted().toList()) {
        String id = json.readTree(f.toFile()).path("id").asText("");
        if (id.isBlank()) {
          problems.add(f.getFileName() + ": a form without an id");
        } else if (!ids.add(id)) {
          problems.add(f.getFileName() + ": form id '" + id + "' is used twice");
        }
      }
    }
    return ids;
  }

  private void checkFile(String file, Document doc, Set<String> keys, Set<String> formIds) throws Exception {
    Element defs = doc.getDocumentElement();
    if (!"Camunda Platform".equals(defs.getAttributeNS(MODELER, "executionPlatform"))
        || !defs.getAttributeNS(MODELER, "executionPlatformVersion").startsWith("7.")) {
      problems.add(file + ": not a Camunda 7 Modeler file (modeler:executionPlatform=\"Camunda Platform\", "
          + "modeler:executionPlatformVersion=\"7.x\" on bpmn:definitions)");
    }
    for (Element e : descendants(defs, BPMN, "error")) {
      String code = e.getAttribute("errorCode");
      if (!ERROR_CODE.matcher(code).matches() || !BpmnErrors.ALL.contains(code)) {
        problems.add(file + ": error code '" + code + "' of " + e.getAttribute("id")
            + " is not one of BpmnErrors (upper snake case)");
      }
    }
    List<Element> procs = children(defs, BPMN, "process");
    if (procs.size() != 1) {
      problems.add(file + ": " + procs.size() + " processes (one per file)");
    }
    Map<String, Element> shapes = new HashMap<>();
    Map<String, Element> edges = new HashMap<>();
    for (Element s : descendants(defs, BPMNDI, "BPMNShape")) {
      shapes.put(s.getAttribute("bpmnElement"), s);
    }
    for (Element s : descendants(defs, BPMNDI, "BPMNEdge")) {
      edges.put(s.getAttribute("bpmnElement"), s);
    }
    for (Element p : procs) {
      checkProcess(file, p, shapes, edges, keys, formIds);
    }
  }

  private void checkProcess(String file, Element process, Map<String, Element> shapes, Map<String, Element> edges,
      Set<String> keys, Set<String> formIds) throws Exception {
    String key = process.getAttribute("id");
    String at = file + " (" + key + ")";
    if (!file.equals(key + ".bpmn")) {
      problems.add(at + ": the file is named after its process: " + key + ".bpmn");
    }
    if (process.getAttributeNS(CAMUNDA, "historyTimeToLive").isBlank()) {
      problems.add(at + ": no camunda:historyTimeToLive");
    }
    Map<String, Element> nodes = new LinkedHashMap<>();
    Map<String, String> container = new HashMap<>();
    List<Element> flows = new ArrayList<>();
    collect(process, null, nodes, container, flows);

    // ---- ids and the constants class
    for (String id : nodes.keySet()) {
      if (!NODE_ID.matcher(id).matches()) {
        problems.add(at + ": node id '" + id + "' is not readable (Kind_WhatItDoes)");
      }
    }
    for (Element f : flows) {
      if (!FLOW_ID.matcher(f.getAttribute("id")).matches()) {
        problems.add(at + ": flow id '" + f.getAttribute("id") + "' is not readable (Flow_WhatItMeans)");
      }
    }
    Class<?> ids = idsClasses.get(key);
    if (ids == null) {
      problems.add(at + ": no constants class (a *Ids class with KEY = \"" + key + "\")");
    } else {
      Set<String> constants = nodeConstants(ids);
      Set<String> missing = new TreeSet<>(nodes.keySet());
      missing.removeAll(constants);
      Set<String> extra = new TreeSet<>(constants);
      extra.removeAll(nodes.keySet());
      if (!missing.isEmpty()) {
        problems.add(at + ": " + ids.getSimpleName() + " lacks constants for " + missing);
      }
      if (!extra.isEmpty()) {
        problems.add(at + ": " + ids.getSimpleName() + " has constants for ids not in the file: " + extra);
      }
    }

    // ---- executable conventions
    for (Element n : nodes.values()) {
      String id = n.getAttribute("id");
      switch (n.getLocalName()) {
        case "serviceTask" -> checkServiceTask(at, n);
        case "userTask" -> checkUserTask(at, n, formIds);
        case "callActivity" -> {
          if (!keys.contains(n.getAttribute("calledElement"))) {
            problems.add(at + ": " + id + " calls '" + n.getAttribute("calledElement") + "', no process in processes/");
          }
        }
        default -> { }
      }
      for (Element l : descendants(n, CAMUNDA, "taskListener")) {
        checkBeans(at, id, l.getAttribute("expression") + " " + l.getAttribute("delegateExpression"));
      }
    }
    for (Element l : children(extensionElements(process), CAMUNDA, "executionListener")) {
      checkBeans(at, key, l.getAttribute("delegateExpression"));
    }

    // ---- layout
    int top = (int) nodes.values().stream().filter(n -> !n.getLocalName().equals("boundaryEvent")
        && !container.containsKey(n.getAttribute("id"))).count();
    if (top > MAX_FLOW_NODES) {
      problems.add(at + ": " + top + " flow nodes (at most " + MAX_FLOW_NODES + ": split it into stages)");
    }
    Map<String, double[]> boxes = new HashMap<>();
    for (String id : nodes.keySet()) {
      Element s = shapes.get(id);
      if (s == null) {
        problems.add(at + ": " + id + " has no shape (bpmndi:BPMNShape)");
        continue;
      }
      Element b = first(s, DC, "Bounds");
      boxes.put(id, new double[] {num(b, "x"), num(b, "y"), num(b, "width"), num(b, "height")});
    }
    Map<String, List<String>> out = new HashMap<>();
    for (Element f : flows) {
      String id = f.getAttribute("id");
      out.computeIfAbsent(f.getAttribute("sourceRef"), k -> new ArrayList<>()).add(f.getAttribute("targetRef"));
      Element e = edges.get(id);
      if (e == null || descendants(e, DI, "waypoint").size() < 2) {
        problems.add(at + ": flow " + id + " has no edge (bpmndi:BPMNEdge with waypoints)");
      }
    }
    // a boundary event leaves from its host: reachability goes through it
    for (Element n : nodes.values()) {
      if (n.getLocalName().equals("boundaryEvent")) {
        out.computeIfAbsent(n.getAttribute("attachedToRef"), k -> new ArrayList<>()).add(n.getAttribute("id"));
      }
    }
    checkOverlaps(at, nodes, container, boxes);
    checkGateways(at, nodes, flows);
    for (Element f : flows) {
      double[] s = boxes.get(f.getAttribute("sourceRef"));
      double[] t = boxes.get(f.getAttribute("targetRef"));
      if (s == null || t == null) {
        continue;
      }
      boolean backwards = t[0] + t[2] / 2 < s[0] + s[2] / 2 - 1;
      if (backwards && !reaches(out, f.getAttribute("targetRef"), f.getAttribute("sourceRef"))) {
        problems.add(at + ": flow " + f.getAttribute("id") + " runs right to left but closes no loop (the main path "
            + "runs left to right; only polls and retries loop back)");
      }
    }
  }

  private void checkServiceTask(String at, Element n) {
    String id = n.getAttribute("id");
    String expression = n.getAttributeNS(CAMUNDA, "delegateExpression");
    Matcher m = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)\\}").matcher(expression);
    if (!m.matches()) {
      problems.add(at + ": " + id + " has no camunda:delegateExpression=\"${beanName}\"");
      return;
    }
    Class<?> bean = beans.get(m.group(1));
    if (bean == null) {
      problems.add(at + ": " + id + " names bean '" + m.group(1) + "', which does not exist");
      return;
    }
    boolean local = bean.isAnnotationPresent(LocalStep.class);
    boolean async = "true".equals(n.getAttributeNS(CAMUNDA, "asyncBefore"));
    boolean retries = !descendants(n, CAMUNDA, "failedJobRetryTimeCycle").isEmpty();
    if (!local && (!async || !retries)) {
      problems.add(at + ": " + id + " (" + m.group(1) + ") reaches out of the engine: it must be camunda:asyncBefore "
          + "with a camunda:failedJobRetryTimeCycle (asyncBefore=" + async + ", retry cycle=" + retries + ")");
    }
  }

  private void checkUserTask(String at, Element n, Set<String> formIds) {
    String id = n.getAttribute("id");
    String form = n.getAttributeNS(CAMUNDA, "formRef");
    if (form.isBlank() || !"deployment".equals(n.getAttributeNS(CAMUNDA, "formRefBinding"))) {
      problems.add(at + ": " + id + " has no deployment-bound form (camunda:formRef, camunda:formRefBinding=deployment)");
    } else if (!formIds.contains(form)) {
      problems.add(at + ": " + id + " refers to form '" + form + "', which is not in forms/");
    }
    String groups = n.getAttributeNS(CAMUNDA, "candidateGroups");
    if (groups.isBlank() || !List.of(Groups.OPERATORS, Groups.CAMERA_TEAM).containsAll(List.of(groups.split("\\s*,\\s*")))) {
      problems.add(at + ": " + id + " is offered to '" + groups + "': candidate groups come from security.Groups "
          + "(operators, camera-team)");
    }
  }

  private void checkBeans(String at, String id, String expressions) {
    Matcher m = BEAN.matcher(expressions);
    while (m.find()) {
      if (!beans.containsKey(m.group(1)) && !m.group(1).equals("execution") && !m.group(1).equals("task")) {
        problems.add(at + ": " + id + " names bean '" + m.group(1) + "', which does not exist");
      }
    }
  }

  private void checkOverlaps(String at, Map<String, Element> nodes, Map<String, String> container,
      Map<String, double[]> boxes) {
    List<String> ids = new ArrayList<>(boxes.keySet());
    for (int i = 0; i < ids.size(); i++) {
      for (int j = i + 1; j < ids.size(); j++) {
        String a = ids.get(i);
        String b = ids.get(j);
        String hostA = nodes.get(a).getAttribute("attachedToRef");
        String hostB = nodes.get(b).getAttribute("attachedToRef");
        if (hostA.equals(b) || hostB.equals(a) || inside(container, a, b) || inside(container, b, a)
            || (!hostA.isEmpty() && hostA.equals(hostB))) {
          continue;
        }
        double[] p = boxes.get(a);
        double[] q = boxes.get(b);
        if (Math.min(p[0] + p[2], q[0] + q[2]) - Math.max(p[0], q[0]) > 4
            && Math.min(p[1] + p[3], q[1] + q[3]) - Math.max(p[1], q[1]) > 4) {
          problems.add(at + ": shapes overlap: " + a + " / " + b);
        }
      }
    }
  }

  private void checkGateways(String at, Map<String, Element> nodes, List<Element> flows) {
    for (Element n : nodes.values()) {
      if (!n.getLocalName().equals("exclusiveGateway")) {
        continue;
      }
      List<Element> outgoing = flows.stream().filter(f -> f.getAttribute("sourceRef").equals(n.getAttribute("id"))).toList();
      if (outgoing.size() < 2) {
        continue;
      }
      String name = n.getAttribute("name").strip();
      if (!name.endsWith("?")) {
        problems.add(at + ": diverging gateway " + n.getAttribute("id") + " is not named as a question ('" + name + "')");
      }
      for (Element f : outgoing) {
        if (f.getAttribute("name").isBlank()) {
          problems.add(at + ": answer " + f.getAttribute("id") + " of gateway " + n.getAttribute("id") + " has no name");
        }
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  /** The values of the constants that look like node ids. */
  static Set<String> nodeConstants(Class<?> ids) throws IllegalAccessException {
    Set<String> values = new LinkedHashSet<>();
    for (Field f : ids.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        String v = (String) f.get(null);
        if (v != null && NODE_ID.matcher(v).matches()) {
          values.add(v);
        }
      }
    }
    return values;
  }

  private static boolean inside(Map<String, String> container, String node, String maybeContainer) {
    for (String c = container.get(node); c != null; c = container.get(c)) {
      if (c.equals(maybeContainer)) {
        return true;
      }
    }
    return false;
  }

  private static boolean reaches(Map<String, List<String>> out, String from, String to) {
    Deque<String> todo = new ArrayDeque<>(List.of(from));
    Set<String> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      String n = todo.pop();
      if (n.equals(to)) {
        return true;
      }
      if (seen.add(n)) {
        todo.addAll(out.getOrDefault(n, List.of()));
      }
    }
    return false;
  }

  private static void collect(Element scope, String containerId, Map<String, Element> nodes,
      Map<String, String> container, List<Element> flows) {
    for (Element c : children(scope, BPMN, null)) {
      if (FLOW_NODES.contains(c.getLocalName())) {
        nodes.put(c.getAttribute("id"), c);
        if (containerId != null) {
          container.put(c.getAttribute("id"), containerId);
        }
        if (c.getLocalName().equals("subProcess")) {
          collect(c, c.getAttribute("id"), nodes, container, flows);
        }
      } else if (c.getLocalName().equals("sequenceFlow")) {
        flows.add(c);
      }
    }
  }

  static Document parse(Path file) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder().parse(file.toFile());
  }

  static List<Element> children(Element parent, String ns, String name) {
    List<Element> out = new ArrayList<>();
    if (parent == null) {
      return out;
    }
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && ns.equals(e.getNamespaceURI()) && (name == null || name.equals(e.getLocalName()))) {
        out.add(e);
      }
    }
    return out;
  }

  static List<Element> descendants(Element parent, String ns, String name) {
    List<Element> out = new ArrayList<>();
    NodeList l = parent.getElementsByTagNameNS(ns, name);
    for (int i = 0; i < l.getLength(); i++) {
      out.add((Element) l.item(i));
    }
    return out;
  }

  private static Element extensionElements(Element e) {
    List<Element> l = children(e, BPMN, "extensionElements");
    return l.isEmpty() ? null : l.get(0);
  }

  private static Element first(Element parent, String ns, String name) {
    List<Element> l = descendants(parent, ns, name);
    return l.isEmpty() ? null : l.get(0);
  }

  private static double num(Element e, String attribute) {
    return Double.parseDouble(e.getAttribute(attribute));
  }
}
