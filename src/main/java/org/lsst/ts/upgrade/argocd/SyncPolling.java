package org.lsst.ts.upgrade.argocd;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.lsst.ts.upgrade.argocd.ArgoCd.SyncProgress;

/** Polling of a sync's progress without holding a thread between polls. */
final class SyncPolling {
  private SyncPolling() {}

  /**
   * @param executor runs each poll
   * @param scheduler schedules the next poll; null: {@link CompletableFuture#delayedExecutor}
   */
  static CompletableFuture<SyncProgress> await(Supplier<SyncProgress> poll, Duration deadline, Duration interval,
      Executor executor, ScheduledExecutorService scheduler) {
    CompletableFuture<SyncProgress> result = new CompletableFuture<>();
    long end = System.nanoTime() + deadline.toNanos();
    Runnable[] step = new Runnable[1];
    step[0] = () -> {
      if (result.isDone()) {
        return;
      }
      try {
        SyncProgress p = poll.get();
        if (p.state() != SyncProgress.State.RUNNING || System.nanoTime() >= end) {
          result.complete(p);
        } else if (scheduler != null) {
          scheduler.schedule(() -> executor.execute(step[0]), interval.toNanos(), TimeUnit.NANOSECONDS);
        } else {
          CompletableFuture.delayedExecutor(interval.toNanos(), TimeUnit.NANOSECONDS, executor).execute(step[0]);
        }
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    };
    executor.execute(step[0]);
    return result;
  }
}
