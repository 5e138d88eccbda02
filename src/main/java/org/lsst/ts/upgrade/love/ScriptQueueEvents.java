package org.lsst.ts.upgrade.love;

import java.util.ArrayList;
import java.util.List;
import org.lsst.ts.upgrade.csc.SalEvent;
import org.lsst.ts.upgrade.csc.SalEventStream;
import org.lsst.ts.upgrade.site.Site;
import org.lsst.ts.upgrade.site.Sites;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Follows every site's ScriptQueue {@code script} and {@code queue} events through the CSC
 * monitor's Kafka stream (same consumer, same Avro decoding) and feeds {@link ScriptEventStore}.
 * History is replayed first, so scripts that ended while the orchestrator was down are known.
 */
@Component
class ScriptQueueEvents implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(ScriptQueueEvents.class);

  private final Sites sites;
  private final SalEventStream stream;
  private final ScriptEventStore store;
  private final List<SalEventStream.Subscription> subscriptions = new ArrayList<>();
  private volatile boolean running;

  ScriptQueueEvents(Sites sites, SalEventStream stream, ScriptEventStore store) {
    this.sites = sites;
    this.stream = stream;
    this.store = store;
  }

  @Override
  public synchronized void start() {
    for (Site site : sites.all()) {
      String id = site.id();
      subscriptions.add(stream.subscribe(id, "ScriptQueue", "script", true, e -> script(id, e)));
      subscriptions.add(stream.subscribe(id, "ScriptQueue", "queue", true, e -> queue(id, e)));
    }
    running = true;
  }

  @Override
  public synchronized void stop() {
    subscriptions.forEach(SalEventStream.Subscription::close);
    subscriptions.clear();
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    // subscribe before the monitor starts reading (it runs in the default phase)
    return Integer.MAX_VALUE - 1000;
  }

  private void script(String site, SalEvent e) {
    Integer index = e.intField("scriptSalIndex");
    Integer process = e.intField("processState");
    Integer state = e.intField("scriptState");
    if (e.id().index() == null || index == null || process == null || state == null) {
      log.warn("ScriptQueue script event without its fields at {} (offset {}): {}", site, e.offset(), e.fields());
      return;
    }
    store.accept(site, new ScriptEvent(e.id().index(), index, String.valueOf(e.stringField("path")),
        Boolean.TRUE.equals(e.booleanField("isStandard")), process, state));
  }

  private void queue(String site, SalEvent e) {
    if (e.id().index() == null) {
      return;
    }
    Integer current = e.intField("currentSalIndex");
    // ts_xml: fixed-size arrays, of which the first length / pastLength entries count
    boolean listed = e.hasField("salIndices") && e.hasField("pastSalIndices");
    List<Integer> waiting = first(e.intListField("salIndices"), e.intField("length"));
    List<Integer> past = first(e.intListField("pastSalIndices"), e.intField("pastLength"));
    store.accept(site, new QueueEvent(e.id().index(), Boolean.TRUE.equals(e.booleanField("enabled")),
        Boolean.TRUE.equals(e.booleanField("running")), current == null ? 0 : current, waiting, past, listed));
  }

  private static List<Integer> first(List<Integer> indices, Integer length) {
    int n = length == null ? indices.size() : Math.max(0, Math.min(length, indices.size()));
    return indices.subList(0, n).stream().filter(i -> i > 0).toList();
  }
}
