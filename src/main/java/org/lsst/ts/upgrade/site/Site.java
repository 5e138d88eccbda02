package org.lsst.ts.upgrade.site;

import java.util.List;
import java.util.Optional;

/**
 * One site (Summit, Tucson test stand, Base test stand) as read from {@code sites/<id>.yaml}.
 * Immutable; the rehearsal twin replaces a site's endpoints and host addresses with its own
 * loopback servers through {@link Sites}. Credentials are never here: the file names the
 * environment variables that hold them.
 */
public record Site(
    String id,
    String displayName,
    Endpoints endpoints,
    Credentials credentials,
    Slack slack,
    Kubernetes kubernetes,
    ArgoCdApps argocd,
    List<Csc> cscs,
    List<Host> hosts,
    List<CscId> enabledOnStart,
    List<StateRequest> enableAtEnd,
    MinimalTesting minimalTesting,
    List<String> chronografDashboards,
    String loveSummaryView,
    Boolean m2ClosedLoopBeforeShutdown,
    Boolean enableAllAfterRecovery) {

  /**
   * The site's M2 must be switched to closed-loop control from its EUI before the CSCs go down
   * (the Summit: a person does it, asking in #summit-simonyitel). Key
   * {@code m2-closed-loop-before-shutdown}, default false.
   */
  public boolean requiresM2ClosedLoop() {
    return Boolean.TRUE.equals(m2ClosedLoopBeforeShutdown);
  }

  /**
   * After a recovery from maintenance every CSC goes back to ENABLED, not only the
   * {@code enable-at-end} list (the Tucson test stand's page: "all of the CSCs must be returned to
   * ENABLED state"). Key {@code enable-all-after-recovery}, default false.
   */
  public boolean enablesAllAfterRecovery() {
    return Boolean.TRUE.equals(enableAllAfterRecovery);
  }

  public Optional<Csc> csc(CscId id) {
    return cscs.stream().filter(c -> c.id().equals(id)).findFirst();
  }

  /** The CSC or an UnknownCscException naming the site and the id. */
  public Csc requireCsc(CscId id) {
    return csc(id).orElseThrow(() -> new UnknownCscException(this.id, id.toString()));
  }

  public Optional<Host> host(String name) {
    return hosts.stream().filter(h -> h.name().equals(name)).findFirst();
  }

  public List<Host> hostsWithRole(HostRole role) {
    return hosts.stream().filter(h -> h.role() == role).toList();
  }

  public List<CscId> cscIds() {
    return cscs.stream().map(Csc::id).toList();
  }

  public Site withEndpoints(Endpoints newEndpoints) {
    return new Site(id, displayName, newEndpoints, credentials, slack, kubernetes, argocd, cscs, hosts,
        enabledOnStart, enableAtEnd, minimalTesting, chronografDashboards, loveSummaryView, m2ClosedLoopBeforeShutdown,
        enableAllAfterRecovery);
  }

  public Site withCredentials(Credentials newCredentials) {
    return new Site(id, displayName, endpoints, newCredentials, slack, kubernetes, argocd, cscs, hosts,
        enabledOnStart, enableAtEnd, minimalTesting, chronografDashboards, loveSummaryView, m2ClosedLoopBeforeShutdown,
        enableAllAfterRecovery);
  }

  public Site withHosts(List<Host> newHosts) {
    return new Site(id, displayName, endpoints, credentials, slack, kubernetes, argocd, cscs,
        List.copyOf(newHosts), enabledOnStart, enableAtEnd, minimalTesting, chronografDashboards,
        loveSummaryView, m2ClosedLoopBeforeShutdown, enableAllAfterRecovery);
  }

  /**
   * Where the site's systems are reached.
   *
   * @param kafkaTopicSubname {@code sal} in production; topics are {@code lsst.<subname>.<Component>.<event>}
   * @param kubernetesApiUrl null in production (the {@code kubernetes.context} of the kubeconfig is
   *     used); the rehearsal twin sets it to its mock API server
   */
  public record Endpoints(
      String love,
      String argocd,
      String chronograf,
      String nublado,
      String schemaRegistry,
      String kafkaBootstrap,
      String kafkaTopicSubname,
      String kubernetesApiUrl) {

    public String topic(String component, String event) {
      return "lsst." + kafkaTopicSubname + "." + component + "." + event;
    }
  }

  /** Names of environment variables (never values). A null name means "not used at this site". */
  public record Credentials(
      String loveUsernameEnv,
      String lovePasswordEnv,
      String argocdTokenEnv,
      String argocdUsernameEnv,
      String argocdPasswordEnv,
      String kafkaUsernameEnv,
      String kafkaPasswordEnv,
      String slackTokenEnv) {}

  public record Slack(String channel, String cameraTeamChannel) {}

  /**
   * @param cscNamespaces namespaces whose Jobs {@code cleanup_all} deletes
   * @param uwsJobSelector the label selector of the uws Jobs to delete (only those)
   * @param nubladoUsersSelector label selector of the Nublado user namespaces
   */
  public record Kubernetes(
      String context,
      List<String> cscNamespaces,
      String loveNamespace,
      String uwsNamespace,
      String uwsJobSelector,
      String nubladoUsersSelector) {}

  /**
   * Argo CD applications. {@code telescopeApps} is the list of the {@code telescope} project;
   * {@code firstTelescopeApps} are synced one after the other before the rest (in parallel).
   */
  public record ArgoCdApps(
      String parentApp,
      String nubladoApp,
      String sasquatchApp,
      String telescopeProject,
      List<String> telescopeApps,
      List<String> firstTelescopeApps) {}

  /**
   * Where a CSC runs: exactly one of namespace (a Kubernetes Job) or host (bare metal, cRIO,
   * camera mcm). {@code holdState}: a state the CSC is kept in through the whole upgrade (Summit:
   * MTM1M3TS ENABLED, MTM1M3 DISABLED) — it is checked first and never sent OFFLINE.
   */
  public record Csc(
      CscId id,
      String namespace,
      String app,
      String cscClass,
      String host,
      Behaviour behaviour,
      SummaryState holdState,
      String note) {

    public boolean onKubernetes() {
      return namespace != null;
    }
  }

  /** Known odd behaviour of a CSC at this site (the twin simulates it; the runbook expects it). */
  public enum Behaviour {
    NORMAL,
    /** Stays STANDBY and keeps beating when sent OFFLINE (ATMCS, ATPneumatics at the Summit). */
    IGNORES_OFFLINE,
    /** Stops beating while still reporting STANDBY (ATPtg at the Summit). */
    VANISHES,
    FAILS_TO_START,
    FAULTS_ON_ENABLE
  }

  public enum HostRole {
    /** T&S bare-metal host running CSCs with docker compose as {@code dco}. */
    TANDS,
    /** The bare-metal LOVE host. */
    LOVE,
    /** A camera's mcm host running its OCS bridge. */
    CAMERA_MCM,
    /** A cRIO (login {@code admin}) running an init.d service. */
    CRIO,
    /** The VMS data logger. */
    DATA_LOGGER,
    /** A Raspberry Pi running ESS controllers with docker compose. */
    ESS_CONTROLLER
  }

  /**
   * A host reached over SSH. Commands are templates run in order; {@code {repo}} and
   * {@code {branch}} in {@code update} are replaced by validated, shell-quoted values.
   *
   * @param repos configuration repositories updated on this host, each with the run input that
   *     names its branch
   * @param rebuild the long cRIO rebuild (run detached and polled)
   */
  public record Host(
      String name,
      String hostname,
      int port,
      String user,
      HostRole role,
      List<CscId> cscs,
      List<String> shutdown,
      List<String> startup,
      List<Repo> repos,
      String update,
      List<String> rebuild,
      String note) {

    public Host withAddress(String newHostname, int newPort) {
      return new Host(name, newHostname, newPort, user, role, cscs, shutdown, startup, repos, update,
          rebuild, note);
    }
  }

  /** A configuration repository on a host and the run input that gives its branch. */
  public record Repo(String path, BranchInput branch) {}

  /** Which run input gives the branch of a repository. */
  public enum BranchInput {
    @com.fasterxml.jackson.annotation.JsonProperty("docker-compose-ops")
    DOCKER_COMPOSE_OPS,
    @com.fasterxml.jackson.annotation.JsonProperty("love-integration-tools")
    LOVE_INTEGRATION_TOOLS
  }

  /** One {@code [CSC, STATE]} line of {@code set_summary_state.py}; {@code ESS:*} allowed. */
  public record StateRequest(String csc, String state) {}

  /** @param takesImages false at TTS (tracking only: its cameras cannot take images) */
  public record MinimalTesting(boolean takesImages, List<String> telescopes) {}
}
