package org.lsst.ts.upgrade.rehearsal;

import java.util.List;
import java.util.Map;
import org.springframework.context.annotation.Profile;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the twin's clusters hold: {@code GET /rehearsal/kubernetes/{site}} → the site's objects
 * ({@code Kind/namespace/name}) and its cluster's API URL (for {@code kubectl --server}).
 */
@RestController
@Profile("rehearsal")
class TwinKubernetesController {
  private final TwinKubernetes kubernetes;

  TwinKubernetesController(TwinKubernetes kubernetes) {
    this.kubernetes = kubernetes;
  }

  @GetMapping("/rehearsal/kubernetes/{site}")
  Map<String, Object> objects(@PathVariable String site) {
    List<String> objects = kubernetes.present(site).stream().sorted().toList();
    return Map.of("site", site, "apiUrl", kubernetes.url(site), "objects", objects);
  }
}
