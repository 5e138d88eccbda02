package org.lsst.ts.upgrade.kubernetes;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.StatusDetails;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.Sites;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@link ClusterCleanup} with the fabric8 client: list what is targeted, delete each object with
 * background propagation (the garbage collector removes a Job's pods), then list once what is left
 * (the objects and the deleted Jobs' pods); the calls of each stage side by side ({@link #sideBySide}).
 * It never waits for the cluster: the run's timer loop looks again ({@link #stillPresent}) until
 * nothing is left or its deadline passes. The helper scripts never checked kubectl's exit code;
 * this verifies the cluster instead.
 */
@Component
class Fabric8ClusterCleanup implements ClusterCleanup {
  private static final Logger log = LoggerFactory.getLogger(Fabric8ClusterCleanup.class);
  /** DNS-1123 label: namespaces. */
  private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  /** A label value: csc-class. */
  private static final Pattern LABEL_VALUE = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
  static final String CSC_CLASS_LABEL = "csc-class";
  /** Set by the Job controller on a Job's pods. */
  static final String JOB_NAME_LABEL = "job-name";

  private final Sites sites;
  private final KubernetesClients clients;
  private final KubernetesProperties properties;

  Fabric8ClusterCleanup(Sites sites, KubernetesClients clients, KubernetesProperties properties) {
    this.sites = sites;
    this.clients = clients;
    this.properties = properties;
  }

  enum Kind {
    JOB("Job"),
    DEPLOYMENT("Deployment"),
    HPA("HorizontalPodAutoscaler"),
    NAMESPACE("Namespace");

    final String name;

    Kind(String name) {
      this.name = name;
    }
  }

  /** One object to delete; {@code namespace} is null for a Namespace. */
  record Target(Kind kind, String namespace, String name) {
    String key() {
      return kind.name + "/" + (namespace == null ? "" : namespace + "/") + name;
    }
  }

  @Override
  public void warmUp() {
    // a client against no server (building one connects nowhere), and a serialization round trip of
    // each type the clean-up and the preflight read and write
    var none = new io.fabric8.kubernetes.client.ConfigBuilder(io.fabric8.kubernetes.client.Config.empty())
        .withMasterUrl("https://127.0.0.1:1").build();
    try (KubernetesClient client = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(none).build()) {
      client.batch().v1().jobs().inNamespace("warm-up");
      client.pods().inNamespace("warm-up");
    }
    for (Class<?> type : List.of(io.fabric8.kubernetes.api.model.NamespaceList.class, io.fabric8.kubernetes.api.model.Namespace.class,
        io.fabric8.kubernetes.api.model.batch.v1.JobList.class, io.fabric8.kubernetes.api.model.PodList.class,
        io.fabric8.kubernetes.api.model.apps.DeploymentList.class,
        io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerList.class,
        io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview.class, StatusDetails.class)) {
      try {
        io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
            io.fabric8.kubernetes.client.utils.Serialization.asJson(type.getDeclaredConstructor().newInstance()), type);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot warm up " + type.getName(), e);
      }
    }
  }

  @Override
  public CleanupReport cleanupAll(String siteId, boolean dryRun) {
    Site site = sites.require(siteId);
    Site.Kubernetes k = kubernetesOf(site);
    if (k.uwsJobSelector() == null || k.uwsJobSelector().isBlank()) {
      throw new IllegalStateException("site '" + siteId + "' has no kubernetes.uws-job-selector: refusing to delete "
          + "every Job in namespace " + k.uwsNamespace() + " (cleanup_all deletes only the OCPS Jobs there)");
    }
    KubernetesClient client = clients.forSite(siteId);
    Set<String> namespaces = new LinkedHashSet<>(k.cscNamespaces());
    namespaces.add(k.loveNamespace());
    namespaces.add(k.uwsNamespace());
    List<Target> targets = new ArrayList<>();
    try {
      sideBySide(List.copyOf(namespaces), ns -> {
        String selector = ns.equals(k.uwsNamespace()) ? k.uwsJobSelector() : null;
        List<Target> found = new ArrayList<>(list(client, Kind.JOB, ns, selector));
        if (ns.equals(k.loveNamespace())) {
          found.addAll(list(client, Kind.DEPLOYMENT, ns, null));
          found.addAll(list(client, Kind.HPA, ns, null));
        }
        return found;
      }).forEach(targets::addAll);
    } catch (KubernetesClientException e) {
      throw failure(siteId, "listing what cleanup_all deletes", e, List.of());
    }
    List<Target> expected = new ArrayList<>();
    namespaces.stream().filter(ns -> !ns.equals(k.uwsNamespace())) // there only the selected Jobs are targets
        .forEach(ns -> expected.addAll(expectedJobs(site, ns, null)));
    return run(siteId, "cleanup_all", client, targets, expected, dryRun);
  }

  @Override
  public CleanupReport deleteJobsOfClass(String siteId, String namespace, String cscClass, boolean dryRun) {
    Site site = sites.require(siteId);
    Site.Kubernetes k = kubernetesOf(site);
    if (namespace == null || !NAMESPACE.matcher(namespace).matches()) {
      throw new IllegalArgumentException("'" + namespace + "' is not a Kubernetes namespace name");
    }
    if (cscClass == null || !LABEL_VALUE.matcher(cscClass).matches()) {
      throw new IllegalArgumentException("'" + cscClass + "' is not a csc-class label value (e.g. scriptqueue, ess)");
    }
    Set<String> allowed = new LinkedHashSet<>(k.cscNamespaces());
    allowed.add(k.loveNamespace());
    allowed.add(k.uwsNamespace());
    if (!allowed.contains(namespace)) {
      throw new IllegalArgumentException("namespace '" + namespace + "' is not one of the CSC namespaces of site '"
          + siteId + "': " + allowed);
    }
    KubernetesClient client = clients.forSite(siteId);
    List<Target> targets;
    try {
      targets = list(client, Kind.JOB, namespace, CSC_CLASS_LABEL + "=" + cscClass);
    } catch (KubernetesClientException e) {
      throw failure(siteId, "listing the Jobs of csc-class " + cscClass + " in " + namespace, e, List.of());
    }
    return run(siteId, "delete jobs -n " + namespace + " -l csc-class=" + cscClass, client, targets,
        expectedJobs(site, namespace, cscClass), dryRun);
  }

  @Override
  public CleanupReport cleanupNublado(String siteId, boolean dryRun) {
    Site.Kubernetes k = kubernetesOf(sites.require(siteId));
    KubernetesClient client = clients.forSite(siteId);
    List<Target> targets;
    try {
      targets = list(client, Kind.NAMESPACE, null, k.nubladoUsersSelector());
    } catch (KubernetesClientException e) {
      throw failure(siteId, "listing the Nublado user namespaces", e, List.of());
    }
    return run(siteId, "cleanup_nublado", client, targets, List.of(), dryRun);
  }

  @Override
  public List<String> accessProblems(String siteId, java.util.Collection<String> namespaces, boolean namespacesToo) {
    Site site = sites.require(siteId);
    Site.Kubernetes k = kubernetesOf(site);
    String cluster = site.endpoints() != null && site.endpoints().kubernetesApiUrl() != null
        ? site.endpoints().kubernetesApiUrl() : "context " + k.context();
    KubernetesClient client = clients.forSite(siteId);
    List<String> problems = new ArrayList<>();
    try {
      sideBySide(List.copyOf(namespaces), ns -> {
        if (client.namespaces().withName(ns).get() == null) {
          return List.of("Kubernetes (" + cluster + "): namespace " + ns + " does not exist: check the site file's "
              + "kubernetes section against the cluster (kubectl get namespaces)");
        }
        List<String[]> rights = new ArrayList<>(List.of(new String[] {"batch", "jobs"}, new String[] {"", "pods"}));
        if (ns.equals(k.loveNamespace())) {
          rights.add(new String[] {"apps", "deployments"});
          rights.add(new String[] {"autoscaling", "horizontalpodautoscalers"});
        }
        List<String> denied = new ArrayList<>();
        for (String[] r : rights) {
          if (!mayDelete(client, ns, r[0], r[1])) {
            denied.add("Kubernetes (" + cluster + "): may not delete " + r[1] + " in namespace " + ns
                + " (SelfSubjectAccessReview denied): grant the orchestrator's account that right");
          }
        }
        return denied;
      }).forEach(problems::addAll);
      if (namespacesToo && !mayDelete(client, null, "", "namespaces")) {
        problems.add("Kubernetes (" + cluster + "): may not delete namespaces (SelfSubjectAccessReview denied; the "
            + "Nublado user namespaces are deleted): grant the orchestrator's account that right");
      }
    } catch (KubernetesClientException e) {
      throw failure(siteId, "checking access (" + cluster + ")", e, List.of());
    }
    return problems;
  }

  private static boolean mayDelete(KubernetesClient client, String namespace, String group, String resource) {
    var review = new io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder()
        .withNewSpec().withNewResourceAttributes().withVerb("delete").withGroup(group).withResource(resource)
        .withNamespace(namespace).endResourceAttributes().endSpec().build();
    var answer = client.authorization().v1().selfSubjectAccessReview().create(review);
    return answer != null && answer.getStatus() != null && Boolean.TRUE.equals(answer.getStatus().getAllowed());
  }

  private static Site.Kubernetes kubernetesOf(Site site) {
    if (site.kubernetes() == null) {
      throw new IllegalStateException("site '" + site.id() + "' has no kubernetes section in its site file");
    }
    return site.kubernetes();
  }

  /**
   * The CSC Jobs the site inventory puts in {@code namespace} (of {@code cscClass} unless null), so
   * that those already absent (a second run, a Job deleted by hand) are reported as already gone.
   */
  private static List<Target> expectedJobs(Site site, String namespace, String cscClass) {
    return site.cscs().stream()
        .filter(c -> c.onKubernetes() && namespace.equals(c.namespace()) && (cscClass == null || cscClass.equals(c.cscClass())))
        .map(c -> new Target(Kind.JOB, namespace, expectedJobName(c.id()))).toList();
  }

  /** Phalanx names a CSC's Job after the CSC: the component in lower case, then the index ({@code scriptqueue1}). */
  static String expectedJobName(CscId id) {
    return id.component().toLowerCase(Locale.ROOT) + (id.indexed() ? String.valueOf(id.index()) : "");
  }

  private CleanupReport run(String siteId, String what, KubernetesClient client, List<Target> targets,
      List<Target> expected, boolean dryRun) {
    List<String> keys = targets.stream().map(Target::key).toList();
    List<String> absent = expected.stream().map(Target::key).filter(key -> !keys.contains(key)).distinct().toList();
    if (dryRun) {
      log.info("{} at {} (plan only) would delete {}; already gone {}", what, siteId, keys, absent);
      return new CleanupReport(keys, absent, List.of(), true);
    }
    long started = System.nanoTime();
    List<String> deleted = new ArrayList<>();
    List<String> alreadyGone = new ArrayList<>(absent);
    List<Target> deletedJobs = new ArrayList<>();
    // every delete is tried (each on its own: one refused is no reason not to try the others), then
    // the first failure is told with everything that was deleted
    List<Deletion> deletions = sideBySide(targets, t -> {
      if (overBudget(started)) {
        return new Deletion(t, null, null);
      }
      try {
        return new Deletion(t, delete(client, t), null);
      } catch (KubernetesClientException e) {
        return new Deletion(t, null, e);
      }
    });
    for (Deletion d : deletions) {
      if (d.details() == null) {
        continue;
      }
      if (d.details().isEmpty()) {
        alreadyGone.add(d.target().key());
      } else {
        deleted.add(d.target().key());
        if (d.target().kind() == Kind.JOB) {
          deletedJobs.add(d.target());
        }
      }
    }
    for (Deletion d : deletions) {
      if (d.failure() != null) {
        throw failure(siteId, "deleting " + d.target().key(), d.failure(), deleted);
      }
    }
    if (deletions.stream().anyMatch(d -> d.details() == null) || overBudget(started)) {
      throw overBudget(siteId, what, started, deleted);
    }
    List<String> remaining;
    try {
      remaining = remaining(client, targets, deletedJobs);
    } catch (KubernetesClientException e) {
      throw failure(siteId, "listing what is left after " + what, e, deleted);
    }
    if (remaining.isEmpty()) {
      log.info("{} at {}: deleted {}, already gone {}, verified", what, siteId, deleted, alreadyGone);
    } else {
      log.info("{} at {}: deleted {}, already gone {}; still present (the run looks again): {}", what, siteId, deleted,
          alreadyGone, remaining);
    }
    return new CleanupReport(List.copyOf(deleted), List.copyOf(alreadyGone), remaining, false);
  }

  /** One delete's outcome: its details (empty: already gone), or its failure; neither: not tried (over budget). */
  private record Deletion(Target target, List<StatusDetails> details, KubernetesClientException failure) {}

  /** Whether the step budget is spent: no further call starts, the job thread is freed, a retry goes on (idempotent). */
  private boolean overBudget(long started) {
    return Duration.ofNanos(System.nanoTime() - started).compareTo(properties.stepBudget()) > 0;
  }

  private ClusterCleanupException overBudget(String siteId, String what, long started, List<String> deleted) {
    Duration spent = Duration.ofNanos(System.nanoTime() - started);
    return new ClusterCleanupException("Kubernetes at site '" + siteId + "': " + what + " stopped after " + spent.toSeconds()
        + " s (upgrade.kubernetes.step-budget " + properties.stepBudget() + "): the cluster answers too slowly; "
        + (deleted.isEmpty() ? "nothing deleted yet" : "deleted so far: " + deleted) + ". A retry continues.", null);
  }

  /** How many calls one clean-up makes at once: fabric8's own limit per API server (5). */
  static final int CALLS_AT_ONCE = 5;

  private static final java.util.concurrent.ExecutorService CALLS = java.util.concurrent.Executors.newFixedThreadPool(
      CALLS_AT_ONCE, r -> {
        Thread t = new Thread(r, "kubernetes-call");
        t.setDaemon(true);
        return t;
      });

  /**
   * {@code call} for each item, side by side (a Summit clean-up is some hundred calls: one after the
   * other they took a second on loopback, seconds against a real API server), the results in the
   * items' order; the first failure, in that order, is thrown once all have ended. A call must not
   * itself wait for another one.
   */
  static <T, R> List<R> sideBySide(List<T> items, java.util.function.Function<T, R> call) {
    if (items.size() < 2) {
      return items.stream().map(call).toList();
    }
    // the run's log context (run id, step) goes with the calls: their log lines say whose they are
    Map<String, String> logContext = org.slf4j.MDC.getCopyOfContextMap();
    List<java.util.concurrent.CompletableFuture<R>> running = items.stream()
        .map(i -> java.util.concurrent.CompletableFuture.supplyAsync(() -> {
          if (logContext != null) {
            org.slf4j.MDC.setContextMap(logContext);
          }
          try {
            return call.apply(i);
          } finally {
            org.slf4j.MDC.clear();
          }
        }, CALLS)).toList();
    List<R> results = new ArrayList<>();
    RuntimeException first = null;
    for (var r : running) {
      try {
        results.add(r.join());
      } catch (java.util.concurrent.CompletionException e) {
        if (first == null) {
          first = e.getCause() instanceof RuntimeException re ? re : e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
    return results;
  }

  @Override
  public List<String> stillPresent(String siteId, List<String> objects) {
    sites.require(siteId);
    KubernetesClient client = clients.forSite(siteId);
    // Kind|namespace -> names, from the keys a report gives (Kind/namespace/name, Namespace/name)
    Map<String, Set<String>> byKindAndNamespace = new LinkedHashMap<>();
    for (String key : objects) {
      String[] p = key.split("/", -1);
      boolean namespaced = p.length == 3;
      if (!(namespaced || (p.length == 2 && p[0].equals(Kind.NAMESPACE.name)))) {
        throw new IllegalArgumentException("'" + key + "' is not Kind/namespace/name or Namespace/name");
      }
      if (namespaced && !NAMESPACE.matcher(p[1]).matches()) {
        throw new IllegalArgumentException("'" + key + "': '" + p[1] + "' is not a namespace name");
      }
      byKindAndNamespace.computeIfAbsent(p[0] + "|" + (namespaced ? p[1] : ""), x -> new LinkedHashSet<>())
          .add(namespaced ? p[2] : p[1]);
    }
    List<String> present = new ArrayList<>();
    for (String kn : byKindAndNamespace.keySet()) {
      String kind = kn.split("\\|", -1)[0];
      if (!kind.equals("Pod") && java.util.Arrays.stream(Kind.values()).noneMatch(k -> k.name.equals(kind))) {
        throw new IllegalArgumentException("unknown kind '" + kind + "'");
      }
    }
    try {
      sideBySide(List.copyOf(byKindAndNamespace.entrySet()), e -> {
        String[] parts = e.getKey().split("\\|", -1);
        Set<String> names = e.getValue();
        String ns = parts[1].isEmpty() ? null : parts[1];
        if (parts[0].equals("Pod")) {
          return client.pods().inNamespace(ns).list().getItems().stream().map(o -> o.getMetadata().getName())
              .filter(names::contains).map(n -> "Pod/" + ns + "/" + n).toList();
        }
        Kind kind = java.util.Arrays.stream(Kind.values()).filter(k -> k.name.equals(parts[0])).findFirst().orElseThrow();
        return list(client, kind, ns, null).stream().filter(t -> names.contains(t.name())).map(Target::key).toList();
      }).forEach(present::addAll);
    } catch (KubernetesClientException e) {
      throw failure(siteId, "listing what is left of " + objects, e, List.of());
    }
    return List.copyOf(present);
  }

  /** One listing: the targets still there, and the pods of the deleted Jobs. */
  private static List<String> remaining(KubernetesClient client, List<Target> targets, List<Target> deletedJobs) {
    Map<String, Set<String>> byKindAndNamespace = new LinkedHashMap<>();
    for (Target t : targets) {
      byKindAndNamespace.computeIfAbsent(t.kind() + "|" + (t.namespace() == null ? "" : t.namespace()),
          x -> new LinkedHashSet<>()).add(t.name());
    }
    Map<String, Set<String>> jobsByNamespace = new LinkedHashMap<>();
    deletedJobs.forEach(j -> jobsByNamespace.computeIfAbsent(j.namespace(), x -> new LinkedHashSet<>()).add(j.name()));
    // one listing per kind and namespace, then the deleted Jobs' pods per namespace, side by side
    List<java.util.function.Supplier<List<String>>> listings = new ArrayList<>();
    byKindAndNamespace.forEach((kn, names) -> {
      String[] parts = kn.split("\\|", -1);
      Kind kind = Kind.valueOf(parts[0]);
      String ns = parts[1].isEmpty() ? null : parts[1];
      listings.add(() -> list(client, kind, ns, null).stream().filter(t -> names.contains(t.name())).map(Target::key)
          .toList());
    });
    jobsByNamespace.forEach((ns, jobs) -> listings.add(() -> client.pods().inNamespace(ns).list().getItems().stream()
        .filter(p -> isPodOf(p, jobs)).map(p -> "Pod/" + ns + "/" + p.getMetadata().getName()).toList()));
    List<String> remaining = new ArrayList<>();
    sideBySide(listings, java.util.function.Supplier::get).forEach(remaining::addAll);
    return List.copyOf(remaining);
  }

  private static boolean isPodOf(HasMetadata pod, Set<String> jobs) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    return labels != null && jobs.contains(labels.get(JOB_NAME_LABEL));
  }

  private static List<Target> list(KubernetesClient client, Kind kind, String ns, String selector) {
    List<? extends HasMetadata> items = switch (kind) {
      case JOB -> selector == null ? client.batch().v1().jobs().inNamespace(ns).list().getItems()
          : client.batch().v1().jobs().inNamespace(ns).withLabelSelector(selector).list().getItems();
      case DEPLOYMENT -> client.apps().deployments().inNamespace(ns).list().getItems();
      case HPA -> client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).list().getItems();
      case NAMESPACE -> selector == null ? client.namespaces().list().getItems()
          : client.namespaces().withLabelSelector(selector).list().getItems();
    };
    return items.stream().map(o -> new Target(kind, ns, o.getMetadata().getName())).toList();
  }

  private static List<StatusDetails> delete(KubernetesClient client, Target t) {
    DeletionPropagation bg = DeletionPropagation.BACKGROUND;
    return switch (t.kind()) {
      case JOB -> client.batch().v1().jobs().inNamespace(t.namespace()).withName(t.name()).withPropagationPolicy(bg).delete();
      case DEPLOYMENT -> client.apps().deployments().inNamespace(t.namespace()).withName(t.name())
          .withPropagationPolicy(bg).delete();
      case HPA -> client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(t.namespace()).withName(t.name())
          .withPropagationPolicy(bg).delete();
      case NAMESPACE -> client.namespaces().withName(t.name()).withPropagationPolicy(bg).delete();
    };
  }

  private static ClusterCleanupException failure(String site, String what, KubernetesClientException e, List<String> deleted) {
    String status = e.getCode() > 0 ? " (HTTP " + e.getCode() + ")" : "";
    return new ClusterCleanupException("Kubernetes at site '" + site + "': " + what + " failed" + status + ": "
        + e.getMessage() + (deleted.isEmpty() ? "" : "; deleted before the failure: " + deleted), e);
  }
}
