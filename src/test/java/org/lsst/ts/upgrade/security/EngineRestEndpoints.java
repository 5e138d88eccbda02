package org.lsst.ts.upgrade.security;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.camunda.bpm.engine.rest.impl.CamundaRestResources;

/**
 * Every endpoint of Camunda's engine REST API that writes (POST, PUT, DELETE), as
 * {@code "METHOD /path/{param}"}, found from the JAX-RS resources the application registers: a new
 * Camunda endpoint shows up here without anyone listing it. The {@code /engine/{name}/...} copies
 * (one per named engine) are left out: they are the same resources.
 */
final class EngineRestEndpoints {
  private EngineRestEndpoints() {}

  record Endpoint(String method, String path, String javaMethod) {
    String key() {
      return method + " " + path;
    }
  }

  static List<Endpoint> writes() {
    List<Endpoint> out = new ArrayList<>();
    for (Class<?> c : CamundaRestResources.getResourceClasses()) {
      for (Class<?> type : withInterfaces(c)) {
        Path root = type.getAnnotation(Path.class);
        if (root != null && !root.value().startsWith("/engine")) {
          walk(type, normalize(root.value()), out, 0);
        }
      }
    }
    out.sort(java.util.Comparator.comparing(Endpoint::key));
    List<Endpoint> unique = new ArrayList<>();
    var seen = new TreeSet<String>();
    for (Endpoint e : out) {
      if (seen.add(e.key())) {
        unique.add(e);
      }
    }
    return unique;
  }

  private static List<Class<?>> withInterfaces(Class<?> c) {
    List<Class<?>> l = new ArrayList<>();
    l.add(c);
    for (Class<?> i : c.getInterfaces()) {
      l.add(i);
    }
    return l;
  }

  private static void walk(Class<?> type, String prefix, List<Endpoint> out, int depth) {
    if (depth > 6) {
      return;
    }
    for (Method m : type.getMethods()) {
      Path p = m.getAnnotation(Path.class);
      String path = p == null ? prefix : prefix + normalize(p.value());
      String http = httpMethod(m);
      if (http != null) {
        if (m.isAnnotationPresent(POST.class) || m.isAnnotationPresent(PUT.class) || m.isAnnotationPresent(DELETE.class)) {
          out.add(new Endpoint(http, path.isEmpty() ? "/" : path.replaceAll("/+", "/"), m.getName()));
        }
      } else if (p != null && m.getReturnType().isInterface()) {
        walk(m.getReturnType(), path, out, depth + 1);
      }
    }
  }

  private static String httpMethod(Method m) {
    for (Annotation a : m.getAnnotations()) {
      HttpMethod h = a.annotationType().getAnnotation(HttpMethod.class);
      if (h != null) {
        return h.value();
      }
    }
    return null;
  }

  /** "/{id}", "{id}" and "/{id: .+}" alike. */
  private static String normalize(String path) {
    String p = path.startsWith("/") ? path : "/" + path;
    p = p.replaceAll("\\{\\s*([A-Za-z0-9_-]+)\\s*:[^}]*\\}", "{$1}");
    return p.endsWith("/") && p.length() > 1 ? p.substring(0, p.length() - 1) : p;
  }

  public static void main(String[] args) {
    writes().forEach(e -> System.out.println(e.key() + "  " + e.javaMethod()));
  }
}
