package org.lsst.ts.upgrade.rehearsal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.context.annotation.Profile;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Control API of the twin's LOVE: queue states, what the minimal tests did, token expiry. */
@RestController
@Profile("rehearsal")
@RequestMapping("/rehearsal/love")
class TwinLoveController {
  private final TwinLoveQueues queues;
  private final TwinLoveManager manager;

  TwinLoveController(TwinLoveQueues queues, TwinLoveManager manager) {
    this.queues = queues;
    this.manager = manager;
  }

  /** Each ScriptQueue of the site: running (not paused), the script it runs (0: none) and those waiting; plus the tests' effects. */
  @GetMapping("/{site}")
  Map<String, Object> site(@PathVariable String site) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("url", manager.baseUrl(site));
    for (int q = 1; q <= 3; q++) {
      try {
        r.put("ScriptQueue:" + q, Map.of("running", queues.running(site, q), "current", queues.current(site, q).orElse(0),
            "waiting", queues.waiting(site, q)));
      } catch (IllegalArgumentException e) {
        throw new org.lsst.ts.upgrade.ApiException(org.springframework.http.HttpStatus.NOT_FOUND, e.getMessage());
      }
    }
    r.put("effects", queues.effects(site));
    return r;
  }

  /** Every LOVE token stops working (the next call gets 401), as when tokens expire. */
  @PostMapping("/expire-tokens")
  void expireTokens() {
    manager.expireTokens();
  }
}
