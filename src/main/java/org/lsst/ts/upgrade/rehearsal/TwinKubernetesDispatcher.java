package org.lsst.ts.upgrade.rehearsal;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * fabric8's CRUD dispatcher with a hook on every stored change. The twin learns of deletions here
 * rather than through a watch: the hook sees every change synchronously and in order, with nothing
 * to reconnect. It runs under the dispatcher's write lock, so the callback must only hand work on.
 */
class TwinKubernetesDispatcher extends KubernetesCrudDispatcher {

  /** (before, after): before is null on creation, after is null on removal. */
  private final BiConsumer<GenericKubernetesResource, GenericKubernetesResource> onChange;
  /** The faults in force: an answer of its own for a request, or null to serve it normally. */
  private final Faults faults;

  /** Decides per request whether a fault answers it (see {@link TwinKubernetes}'s fault kinds). */
  interface Faults {
    /** The kind of fault in force for this request, consumed if counted; null if none. */
    FaultRegistry.Fault fire(String method, String namespace);

    /** Whether a {@code forbidden-delete} fault is in force for the namespace (not consumed). */
    boolean deleteForbidden(String namespace);
  }

  TwinKubernetesDispatcher(BiConsumer<GenericKubernetesResource, GenericKubernetesResource> onChange) {
    this(onChange, null);
  }

  TwinKubernetesDispatcher(BiConsumer<GenericKubernetesResource, GenericKubernetesResource> onChange, Faults faults) {
    this(onChange, faults, null);
  }

  TwinKubernetesDispatcher(BiConsumer<GenericKubernetesResource, GenericKubernetesResource> onChange, Faults faults,
      Requests requests) {
    this.onChange = onChange;
    this.faults = faults;
    this.requests = requests;
  }

  /** Told of every request the server answers (not the watches: an open watch is not work). */
  interface Requests {
    /** Called as the request arrives; the returned end runs once it is answered. */
    Runnable begin();
  }

  private final Requests requests;

  private static final java.util.regex.Pattern NAMESPACE = java.util.regex.Pattern.compile("/namespaces/([^/?]+)");

  /**
   * Faults first: {@code api-error} answers a Status with its code (param {@code status}, default
   * 503); {@code forbidden-delete} answers a DELETE with 403 as RBAC would; {@code survives-delete}
   * answers a DELETE as a server whose finalizer holds the object (200, the object stays).
   */
  @Override
  public MockResponse dispatch(io.fabric8.mockwebserver.http.RecordedRequest request) {
    String path = request.getPath();
    if (requests == null || path == null || path.contains("watch=true")) {
      return answer(request);
    }
    Runnable end = requests.begin();
    try {
      return answer(request);
    } finally {
      end.run();
    }
  }

  private MockResponse answer(io.fabric8.mockwebserver.http.RecordedRequest request) {
    if (faults == null || request.getPath() == null) {
      return super.dispatch(request);
    }
    String path = request.getPath();
    java.util.regex.Matcher m = NAMESPACE.matcher(path);
    String namespace = m.find() ? m.group(1) : "*";
    FaultRegistry.Fault fault = faults.fire(request.getMethod(), namespace);
    if (fault == null) {
      return super.dispatch(request);
    }
    return switch (fault.kind()) {
      case "forbidden-delete" -> status(403, "Forbidden", "the rehearsal twin's RBAC: cannot delete "
          + resourceOf(path) + " in the namespace \"" + namespace + "\"");
      case "survives-delete" -> {
        MockResponse held = super.handleGet(path);
        yield held.code() == 200 ? held : super.dispatch(request);
      }
      default -> {
        int code = 503;
        try {
          code = Integer.parseInt(fault.params().getOrDefault("status", "503"));
        } catch (NumberFormatException e) {
          // not a status: the default
        }
        yield status(code, code == 403 ? "Forbidden" : "ServiceUnavailable",
            "the rehearsal twin's API server answers " + code + " (fault " + fault.id() + ")");
      }
    };
  }

  private static String resourceOf(String path) {
    String p = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    String[] parts = p.split("/");
    return parts.length == 0 ? p : parts[parts.length - 1];
  }

  private static MockResponse status(int code, String reason, String message) {
    return new MockResponse().setResponseCode(code).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
        + "\"status\":\"Failure\",\"reason\":\"" + reason + "\",\"code\":" + code + ",\"message\":"
        + Serialization.asJson(message) + "}");
  }

  /**
   * Lists with a set-based label selector ({@code csc in (atocps, ccocps)}): the mock server only
   * evaluates equality and existence, so it gets those and the twin filters the rest here.
   */
  @Override
  public MockResponse handleGet(String path) {
    int q = path.indexOf('?');
    if (q < 0 || path.contains("watch=true")) {
      return super.handleGet(path);
    }
    String selectorText = null;
    List<String> params = new ArrayList<>();
    for (String p : path.substring(q + 1).split("&")) {
      if (p.startsWith("labelSelector=")) {
        selectorText = URLDecoder.decode(p.substring("labelSelector=".length()), StandardCharsets.UTF_8);
      } else {
        params.add(p);
      }
    }
    if (selectorText == null) {
      return super.handleGet(path);
    }
    TwinKubernetesSelector selector;
    try {
      selector = TwinKubernetesSelector.parse(selectorText);
    } catch (IllegalArgumentException e) {
      return new MockResponse().setResponseCode(400).setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\","
          + "\"status\":\"Failure\",\"reason\":\"BadRequest\",\"code\":400,\"message\":"
          + Serialization.asJson(e.getMessage()) + "}");
    }
    if (!selector.hasSetBased()) {
      return super.handleGet(path);
    }
    String plain = selector.plainPart();
    if (plain != null) {
      params.add("labelSelector=" + URLEncoder.encode(plain, StandardCharsets.UTF_8));
    }
    MockResponse response = super.handleGet(path.substring(0, q) + (params.isEmpty() ? "" : "?" + String.join("&", params)));
    if (response.code() != 200 || response.getBody() == null) {
      return response;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> list = Serialization.unmarshal(new String(response.getBody().getBytes(), StandardCharsets.UTF_8), Map.class);
    Object items = list.get("items");
    if (items instanceof List<?> l) {
      list.put("items", l.stream().filter(i -> selector.matches(labelsOf(i))).toList());
    }
    return response.setBody(Serialization.asJson(list));
  }

  /**
   * A {@code SelfSubjectAccessReview} is a question, not an object: the API server answers it and
   * stores nothing (the CRUD mock would store it and answer without a status). The twin's account
   * may do everything a clean-up needs, so every review is allowed, except in a namespace where a
   * {@code forbidden-delete} fault is in force.
   */
  @Override
  public MockResponse handleCreate(io.fabric8.mockwebserver.http.RecordedRequest request) {
    if (request.getPath() != null && request.getPath().contains("/selfsubjectaccessreviews")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> review = Serialization.unmarshal(request.getBody().readUtf8(), Map.class);
      Object ns = review.get("spec") instanceof Map<?, ?> spec && spec.get("resourceAttributes") instanceof Map<?, ?> ra
          ? ra.get("namespace") : null;
      boolean denied = faults != null && ns != null && faults.deleteForbidden(String.valueOf(ns));
      review.put("status", denied ? Map.of("allowed", false, "reason", "a forbidden-delete fault is in force")
          : Map.of("allowed", true, "reason", "the rehearsal twin allows every clean-up"));
      return new MockResponse().setResponseCode(201).setBody(Serialization.asJson(review));
    }
    return super.handleCreate(request);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> labelsOf(Object item) {
    if (item instanceof Map<?, ?> m && m.get("metadata") instanceof Map<?, ?> meta && meta.get("labels") instanceof Map<?, ?> labels) {
      return (Map<String, String>) labels;
    }
    return Map.of();
  }

  @Override
  public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
      GenericKubernetesResource resource, String newState) {
    String existing = oldAttributes == null ? null : map.get(oldAttributes);
    super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
    if (existing == null && newState == null) {
      return;
    }
    GenericKubernetesResource before = existing == null ? null : Serialization.unmarshal(existing, GenericKubernetesResource.class);
    GenericKubernetesResource after = newState == null ? null : Serialization.unmarshal(newState, GenericKubernetesResource.class);
    onChange.accept(before, after);
  }
}
