package org.lsst.ts.upgrade.rehearsal;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.RecordedRequest;
import jakarta.annotation.PreDestroy;
import java.nio.charset.StandardCharsets;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.Site;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The twin's Kubernetes clusters: one fabric8 mock API server (CRUD mode) per site on a loopback
 * port, seeded from the site file as Phalanx would have deployed it — the CSC namespaces, one Job
 * (and its pod) per CSC with the Phalanx labels, LOVE's Deployments, HPAs and love-commander Job,
 * the uws OCPS Jobs and a few Nublado user namespaces. The site's {@code kubernetesApiUrl} is
 * pointed at it.
 *
 * <p>Behaviour of a real cluster that the runbook depends on, driven by a hook on the CRUD
 * dispatcher (see {@link TwinKubernetesDispatcher}): a deleted Job's pods are removed by the
 * "garbage collector" after the latency model's {@code kubernetes.delete}; a CSC's pod going away
 * kills its simulator ({@link TwinCscs#kill}: heartbeat stops, no OFFLINE event); deleting a LOVE
 * Deployment takes the LOVE-manager down until the {@code love} app is synced again.
 */
@Component
@Profile("rehearsal")
public class TwinKubernetes {
  private static final Logger log = LoggerFactory.getLogger(TwinKubernetes.class);

  /** Twin-only annotation on a CSC's Job and pod: which simulated CSC runs there. */
  public static final String CSC_ID_ANNOTATION = "rehearsal.lsst.org/csc-id";
  public static final String INSTANCE_LABEL = "argocd.argoproj.io/instance";
  public static final String JOB_NAME_LABEL = "job-name";
  /** The LOVE app's Deployments (each but the frontend scaled by an HPA). */
  static final List<String> LOVE_DEPLOYMENTS = List.of("love-manager-frontend", "love-manager-producers",
      "love-frontend", "love-nginx");
  static final List<String> LOVE_HPAS = List.of("love-manager-frontend", "love-manager-producers");
  static final List<String> NUBLADO_USERS = List.of("nublado-alice", "nublado-bob", "nublado-carol");
  /** uws Jobs of the OCPS (matched by the sites' selector) and one that is not theirs. */
  static final List<String> UWS_OCPS_JOBS = List.of("atocps", "ccocps", "raocps");
  static final String UWS_OTHER_JOB = "uws-db-cleanup";

  private final SimulatedSites sites;
  private final TwinCscs cscs;
  private final TwinServices services;
  private final LatencyModel latency;
  private final ActionLog actions;
  private final FaultRegistry faults;
  private final Map<String, KubernetesMockServer> servers = new ConcurrentHashMap<>();
  private final Map<String, KubernetesClient> clients = new ConcurrentHashMap<>();
  private final Map<String, TwinKubernetesDispatcher> dispatchers = new ConcurrentHashMap<>();
  /** kind/namespace/name of every object present, per site: what the Argo CD twin compares against. */
  private final Map<String, Set<String>> present = new ConcurrentHashMap<>();
  /** The twin's controllers (garbage collector). */
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "twin-kubernetes");
    t.setDaemon(true);
    return t;
  });
  /** Kills simulators, in order; apart so that a slow CSC listener (Kafka) never delays the cluster. */
  private final java.util.concurrent.ExecutorService processes = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "twin-kubernetes-pods");
    t.setDaemon(true);
    return t;
  });

  /** A twin without faults (tests of the clients that need none). */
  public TwinKubernetes(SimulatedSites sites, TwinCscs cscs, TwinServices services, LatencyModel latency, ActionLog actions) {
    this(sites, cscs, services, latency, actions, new FaultRegistry());
  }

  @org.springframework.beans.factory.annotation.Autowired
  public TwinKubernetes(SimulatedSites sites, TwinCscs cscs, TwinServices services, LatencyModel latency, ActionLog actions,
      FaultRegistry faults) {
    this.faults = faults;
    this.sites = sites;
    this.cscs = cscs;
    this.services = services;
    this.latency = latency;
    this.actions = actions;
    for (Site site : sites.all()) {
      if (site.kubernetes() == null) {
        continue;
      }
      String id = site.id();
      present.put(id, ConcurrentHashMap.newKeySet());
      TwinKubernetesDispatcher dispatcher = new TwinKubernetesDispatcher((before, after) -> changed(id, before, after),
          faultsOf(id), () -> actions.serving(id, "kubernetes"));
      dispatchers.put(id, dispatcher);
      KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
          dispatcher, false);
      server.init(InetAddress.getLoopbackAddress(), 0);
      servers.put(id, server);
      seed(site);
      String url = server.url("/").replaceAll("/$", "");
      sites.update(id, s -> s.withEndpoints(new Site.Endpoints(s.endpoints().love(), s.endpoints().argocd(),
          s.endpoints().chronograf(), s.endpoints().nublado(), s.endpoints().schemaRegistry(),
          s.endpoints().kafkaBootstrap(), s.endpoints().kafkaTopicSubname(), url)));
      log.info("Twin Kubernetes API server of {} at {}", id, url);
    }
  }

  /**
   * The faults of a site's API server (system {@code kubernetes}, target a namespace or {@code *}):
   * {@code api-error} (params {@code status}, default 503, and {@code method}, default every
   * method), {@code forbidden-delete} and {@code survives-delete} (DELETE only). A fault that fires
   * is recorded in the action log.
   */
  private TwinKubernetesDispatcher.Faults faultsOf(String site) {
    return new TwinKubernetesDispatcher.Faults() {
      @Override
      public FaultRegistry.Fault fire(String method, String namespace) {
        for (FaultRegistry.Fault f : faults.list()) {
          if (!"kubernetes".equals(f.system()) || (f.site() != null && !f.site().equals(site))
              || !("*".equals(f.target()) || f.target().equals(namespace))) {
            continue;
          }
          boolean applies = switch (f.kind()) {
            case "forbidden-delete", "survives-delete" -> "DELETE".equals(method);
            case "api-error" -> f.params().get("method") == null || f.params().get("method").equalsIgnoreCase(method);
            default -> false;
          };
          if (applies && faults.consult(site, "kubernetes", namespace, f.kind()).isPresent()) {
            actions.record(site, "kubernetes", site + "/" + namespace, "fault",
                Map.of("kind", f.kind(), "method", String.valueOf(method)));
            return f;
          }
        }
        return null;
      }

      @Override
      public boolean deleteForbidden(String namespace) {
        return faults.list().stream().anyMatch(f -> "kubernetes".equals(f.system()) && "forbidden-delete".equals(f.kind())
            && (f.site() == null || f.site().equals(site)) && ("*".equals(f.target()) || f.target().equals(namespace)));
      }
    };
  }

  /** The twin's own admin client of a site's cluster (for the twin's controllers and for tests). */
  public KubernetesClient client(String site) {
    KubernetesMockServer server = servers.get(site);
    if (server == null) {
      throw new IllegalArgumentException("the twin has no Kubernetes cluster for site '" + site + "'");
    }
    return clients.computeIfAbsent(site, s -> server.createClient());
  }

  /** The API server's URL. */
  public String url(String site) {
    return sites.require(site).endpoints().kubernetesApiUrl();
  }

  /** Objects present ({@code Kind/namespace/name}). */
  public Set<String> present(String site) {
    return Set.copyOf(present.getOrDefault(site, Set.of()));
  }

  /** The objects an Argo CD app deploys, as {@code Kind/namespace/name}. */
  public List<String> desired(String site, String app) {
    return desiredObjects(sites.require(site), app).stream().map(TwinKubernetes::key).toList();
  }

  /** Desired objects of the app that are missing from the cluster. */
  public List<String> missing(String site, String app) {
    Set<String> p = present.getOrDefault(site, Set.of());
    return desired(site, app).stream().filter(k -> !p.contains(k)).toList();
  }

  /** Whether the app runs Jobs (a running Job keeps the app Progressing). */
  public boolean hasJobs(String site, String app) {
    return desiredObjects(sites.require(site), app).stream().anyMatch(o -> o instanceof Job);
  }

  /**
   * What an Argo CD sync does to the cluster: creates the app's missing objects (never touches
   * existing ones — a finished Job stays finished). Returns the CSCs whose Job was created, whose
   * processes the caller starts.
   */
  public List<CscId> applyApp(String site, String app) {
    Site s = sites.require(site);
    List<CscId> started = new ArrayList<>();
    Set<String> p = present.get(site);
    for (HasMetadata o : desiredObjects(s, app)) {
      if (p.contains(key(o))) {
        continue;
      }
      create(site, o);
      actions.record(site, "kubernetes", site + "/" + key(o), "create", Map.of("app", app));
      if (o instanceof Job job) {
        // the Job controller starts its pod
        create(site, podOf(job));
        String csc = job.getMetadata().getAnnotations().get(CSC_ID_ANNOTATION);
        if (csc != null) {
          started.add(CscId.parse(csc));
        }
      }
    }
    if (app.equals(s.kubernetes().loveNamespace()) && missing(site, app).isEmpty()) {
      services.setUp(site, TwinServices.LOVE, true);
    }
    return started;
  }

  /**
   * Stores an object through the CRUD dispatcher directly, as a POST to the API would (same
   * bookkeeping, same watch events) but without an HTTP round trip: seeding is hundreds of objects.
   */
  private void create(String site, HasMetadata o) {
    String ns = o.getMetadata().getNamespace();
    String path = switch (o.getKind()) {
      case "Namespace" -> "/api/v1/namespaces";
      case "Pod" -> "/api/v1/namespaces/" + ns + "/pods";
      case "Job" -> "/apis/batch/v1/namespaces/" + ns + "/jobs";
      case "Deployment" -> "/apis/apps/v1/namespaces/" + ns + "/deployments";
      case "HorizontalPodAutoscaler" -> "/apis/autoscaling/v2/namespaces/" + ns + "/horizontalpodautoscalers";
      default -> throw new IllegalArgumentException("the twin does not create " + o.getKind());
    };
    var response = dispatchers.get(site).handleCreate(new RecordedRequest("HTTP/1.1", HttpMethod.POST, path,
        Headers.builder().build(), new Buffer(Serialization.asJson(o).getBytes(StandardCharsets.UTF_8))));
    if (response.code() >= 300) {
      throw new IllegalStateException("twin " + site + ": creating " + key(o) + " failed with " + response.code());
    }
  }

  /**
   * Puts the site's cluster back as the twin started it: every namespace and every app's objects
   * (a Job's pod with it) that are missing are created again; the LOVE-manager is up again. The
   * CSC processes are the caller's ({@link TwinCscs#reset}).
   */
  public void restore(String site) {
    Site s = sites.require(site);
    if (s.kubernetes() == null) {
      return;
    }
    seed(s);
    services.setUp(site, TwinServices.LOVE, true);
  }

  /** Creates what is missing of the site's initial cluster (all of it on startup). */
  private void seed(Site site) {
    String id = site.id();
    Set<String> p = present.get(id);
    var k = site.kubernetes();
    List<HasMetadata> objects = new ArrayList<>();
    List<String> namespaces = new ArrayList<>(k.cscNamespaces());
    for (String ns : List.of(k.loveNamespace(), k.uwsNamespace(), "nublado")) {
      if (!namespaces.contains(ns)) {
        namespaces.add(ns);
      }
    }
    for (String ns : namespaces) {
      objects.add(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build());
    }
    String[] selector = k.nubladoUsersSelector().split("=", 2);
    for (String user : NUBLADO_USERS) {
      objects.add(new NamespaceBuilder().withNewMetadata().withName(user)
          .addToLabels(selector[0].trim(), selector.length > 1 ? selector[1].trim() : "")
          .endMetadata().build());
    }
    for (String app : apps(site)) {
      for (HasMetadata o : desiredObjects(site, app)) {
        objects.add(o);
        if (o instanceof Job job) {
          objects.add(podOf(job));
        }
      }
    }
    for (HasMetadata o : objects) {
      if (!p.contains(key(o))) {
        create(id, o);
      }
    }
  }

  /** The apps that deploy objects into the cluster: every CSC's app, LOVE's and uws's. */
  private static List<String> apps(Site site) {
    LinkedHashMap<String, Boolean> apps = new LinkedHashMap<>();
    site.cscs().stream().filter(Site.Csc::onKubernetes).forEach(c -> apps.put(c.app(), true));
    apps.put(site.kubernetes().loveNamespace(), true);
    apps.put(site.kubernetes().uwsNamespace(), true);
    return List.copyOf(apps.keySet());
  }

  private static List<HasMetadata> desiredObjects(Site site, String app) {
    List<HasMetadata> out = new ArrayList<>();
    var k = site.kubernetes();
    for (Site.Csc c : site.cscs()) {
      if (c.onKubernetes() && app.equals(c.app())) {
        String name = jobName(c.id());
        out.add(job(c.namespace(), name, app, Map.of("csc", name, "csc-name", name, "csc-class", c.cscClass(),
            "csc-is-primary", "true"), c.id()));
      }
    }
    if (app.equals(k.loveNamespace())) {
      String ns = k.loveNamespace();
      for (String d : LOVE_DEPLOYMENTS) {
        out.add(new DeploymentBuilder().withNewMetadata().withNamespace(ns).withName(d)
            .addToLabels(INSTANCE_LABEL, app).addToLabels("app.kubernetes.io/name", d).endMetadata()
            .withNewSpec().withReplicas(1).withNewSelector().addToMatchLabels("app.kubernetes.io/name", d).endSelector()
            .withNewTemplate().withNewMetadata().addToLabels("app.kubernetes.io/name", d).endMetadata()
            .withNewSpec().addNewContainer().withName(d).withImage("lsstts/" + d + ":rehearsal").endContainer()
            .endSpec().endTemplate().endSpec().build());
      }
      for (String h : LOVE_HPAS) {
        out.add(new HorizontalPodAutoscalerBuilder().withNewMetadata().withNamespace(ns).withName(h)
            .addToLabels(INSTANCE_LABEL, app).endMetadata().withNewSpec().withMinReplicas(1).withMaxReplicas(3)
            .withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment").withName(h).endScaleTargetRef()
            .endSpec().build());
      }
      out.add(job(ns, "love-commander", app, Map.of("csc", "love-commander", "csc-name", "love-commander",
          "csc-class", "love-commander", "csc-is-primary", "true"), null));
    }
    if (app.equals(k.uwsNamespace())) {
      for (String j : uwsOcpsJobs(k.uwsJobSelector())) {
        out.add(job(k.uwsNamespace(), j, app, Map.of("csc", j, "csc-name", j, "csc-class", "ocps",
            "csc-is-primary", "true"), null));
      }
      out.add(job(k.uwsNamespace(), UWS_OTHER_JOB, app, Map.of("app.kubernetes.io/name", UWS_OTHER_JOB), null));
    }
    return out;
  }

  /** The uws Jobs the site's selector names ({@code csc in (...)}), else the usual OCPS three. */
  private static List<String> uwsOcpsJobs(String selector) {
    if (selector != null) {
      try {
        for (var r : TwinKubernetesSelector.parse(selector).requirements()) {
          if (r.key().equals("csc") && (r.op().equals("in") || r.op().equals("="))) {
            return r.values().stream().sorted().toList();
          }
        }
      } catch (IllegalArgumentException e) {
        log.warn("Twin: cannot read uws-job-selector '{}': {}", selector, e.getMessage());
      }
    }
    return UWS_OCPS_JOBS;
  }

  /** Phalanx's Job name for a CSC: lower-case component and index, e.g. {@code scriptqueue1}. */
  public static String jobName(CscId id) {
    return id.component().toLowerCase(Locale.ROOT) + (id.indexed() ? String.valueOf(id.index()) : "");
  }

  private static Job job(String ns, String name, String app, Map<String, String> labels, CscId csc) {
    var b = new JobBuilder().withNewMetadata().withNamespace(ns).withName(name).addToLabels(labels)
        .addToLabels(INSTANCE_LABEL, app);
    if (csc != null) {
      b = b.addToAnnotations(CSC_ID_ANNOTATION, csc.toString());
    }
    return b.endMetadata().withNewSpec().withBackoffLimit(0).withNewTemplate().withNewMetadata().addToLabels(labels)
        .endMetadata().withNewSpec().withRestartPolicy("Never").addNewContainer().withName(name)
        .withImage("lsstts/" + name + ":rehearsal").endContainer().endSpec().endTemplate().endSpec().build();
  }

  private static io.fabric8.kubernetes.api.model.Pod podOf(Job job) {
    var m = job.getMetadata();
    return new PodBuilder().withNewMetadata().withNamespace(m.getNamespace()).withName(m.getName() + "-0")
        .addToLabels(job.getSpec().getTemplate().getMetadata().getLabels())
        .addToLabels(JOB_NAME_LABEL, m.getName()).addToLabels("batch.kubernetes.io/job-name", m.getName())
        .addToAnnotations(m.getAnnotations() == null ? Map.of() : m.getAnnotations())
        .endMetadata().withSpec(job.getSpec().getTemplate().getSpec()).build();
  }

  static String key(HasMetadata o) {
    String ns = o.getMetadata().getNamespace();
    return o.getKind() + "/" + (ns == null ? "" : ns + "/") + o.getMetadata().getName();
  }

  /** Dispatcher hook (under its lock): bookkeeping here, reactions on the executor. */
  private void changed(String site, GenericKubernetesResource before, GenericKubernetesResource after) {
    Set<String> p = present.get(site);
    if (after != null) {
      p.add(key(after));
      return;
    }
    String key = key(before);
    p.remove(key);
    String kind = before.getKind();
    String ns = before.getMetadata().getNamespace();
    String name = before.getMetadata().getName();
    Map<String, String> annotations = before.getMetadata().getAnnotations() == null ? Map.of()
        : before.getMetadata().getAnnotations();
    actions.record(site, "kubernetes", site + "/" + key, "deleted", Map.of());
    switch (kind) {
      case "Job" -> executor.schedule(() -> collectPods(site, ns, name),
          latency.of("kubernetes.delete").toNanos(), TimeUnit.NANOSECONDS);
      case "Pod" -> {
        String csc = annotations.get(CSC_ID_ANNOTATION);
        if (csc != null) {
          processes.execute(() -> cscs.kill(site, CscId.parse(csc)));
        }
      }
      case "Deployment" -> {
        if (ns != null && ns.equals(sites.require(site).kubernetes().loveNamespace())) {
          services.setUp(site, TwinServices.LOVE, false);
        }
      }
      default -> { }
    }
  }

  /**
   * The garbage collector: a deleted Job's pods go after their termination grace period. It is the
   * cluster's own controller, so it goes to the store directly: the API faults are for clients.
   */
  private void collectPods(String site, String ns, String job) {
    try {
      dispatchers.get(site).handleDelete("/api/v1/namespaces/" + ns + "/pods?labelSelector="
          + java.net.URLEncoder.encode(JOB_NAME_LABEL + "=" + job, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      log.warn("Twin {}: could not remove the pods of Job {}/{}: {}", site, ns, job, e.toString());
    }
  }

  @PreDestroy
  void stop() {
    executor.shutdownNow();
    processes.shutdownNow();
    clients.values().forEach(KubernetesClient::close);
    servers.values().forEach(KubernetesMockServer::destroy);
  }
}
