package org.lsst.ts.upgrade.argocd;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Argo CD REST: list, read and sync applications. Nothing here waits for a sync to finish. */
public interface ArgoCd {

  /** Applications of an Argo CD project. */
  List<AppStatus> list(String site, String project);

  /** One application's status. */
  AppStatus app(String site, String name);

  /**
   * One application's status; with {@code refresh} Argo CD first re-reads the app's manifests
   * ({@code ?refresh=normal}), which costs the server a render: use it once, not in polling loops.
   */
  default AppStatus app(String site, String name, boolean refresh) {
    return app(site, name);
  }

  /**
   * Starts a sync. An operation already in progress on the app is not an error: the result says
   * so, and the caller waits for that operation to end (its {@code operationStartedAt} is before the
   * call, so {@link #progress} does not select it) and then syncs again.
   */
  SyncStart sync(String site, String name);

  /**
   * Progress of the app's latest operation started at or after {@code startedAfter}: RUNNING,
   * SUCCEEDED (phase Succeeded and sync Synced) or FAILED (phase Failed/Error, or health Degraded
   * in any phase, Running included, with the app's own message). Health is never required to be Healthy: telescope apps with
   * running Jobs stay Progressing.
   */
  SyncProgress progress(String site, String name, Instant startedAfter);

  /**
   * Polls {@link #progress} every {@code interval} without holding a thread, until the operation
   * started at or after {@code startedAfter} succeeds or fails; at the deadline completes with the
   * last progress (then RUNNING). A technical failure of a poll completes the future exceptionally.
   */
  default CompletableFuture<SyncProgress> awaitSync(String site, String name, Instant startedAfter, Duration deadline,
      Duration interval) {
    return SyncPolling.await(() -> progress(site, name, startedAfter), deadline, interval,
        CompletableFuture.delayedExecutor(0, TimeUnit.MILLISECONDS), null);
  }

  /**
   * Whether Argo CD's repo server resolves {@code revision} (branch, tag or commit) in the repository
   * {@code repoUrl} ({@code GET /api/v1/repositories/{repo}/revisions/{revision}/metadata}): its
   * metadata, or empty when the repository has no such revision (HTTP 404).
   */
  java.util.Optional<Revision> revision(String site, String repoUrl, String revision);

  /**
   * The app's resources that a sync would change ({@code GET /api/v1/applications/{name}/managed-resources}):
   * each with its live and target state, so a person sees the pending diff before syncing.
   */
  List<ResourceDiff> pendingChanges(String site, String name);

  /** One resource a sync would change: its live and target manifests (JSON, as Argo CD gives them). */
  record ResourceDiff(String kind, String namespace, String name, String liveState, String targetState) {}

  /** A resolved revision's metadata (author, date, message of the commit it points at). */
  record Revision(String revision, String author, String date, String message) {}

  enum SyncStart {
    STARTED,
    ALREADY_RUNNING
  }

  record AppStatus(
      String name,
      String project,
      String syncStatus,
      String health,
      String operationPhase,
      String message,
      Instant operationStartedAt,
      Instant operationFinishedAt) {}

  record SyncProgress(State state, String message, AppStatus app) {
    public enum State {
      RUNNING,
      SUCCEEDED,
      FAILED
    }
  }
}
