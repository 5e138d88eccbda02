package org.lsst.ts.upgrade.site;

import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/sites} and {@code GET /api/sites/{id}}. */
@RestController
@RequestMapping("/api/sites")
class SiteController {
  private final Sites sites;

  SiteController(Sites sites) {
    this.sites = sites;
  }

  @GetMapping
  List<Site> all() {
    return sites.all();
  }

  @GetMapping("/{id}")
  Site one(@PathVariable String id) {
    return sites.require(id);
  }
}
