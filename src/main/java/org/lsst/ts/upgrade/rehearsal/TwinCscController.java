package org.lsst.ts.upgrade.rehearsal;

import java.util.Arrays;
import java.util.List;
import org.lsst.ts.upgrade.ApiException;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.Site.Behaviour;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Inspect and steer the simulated CSCs: {@code GET /rehearsal/cscs?site=}, {@code POST /rehearsal/cscs/{site}/{id}}. */
@RestController
@Profile("rehearsal")
@RequestMapping("/rehearsal/cscs")
class TwinCscController {
  private final TwinCscs cscs;
  private final SimulatedSites sites;

  TwinCscController(TwinCscs cscs, SimulatedSites sites) {
    this.cscs = cscs;
    this.sites = sites;
  }

  record CscView(String site, CscId id, String state, boolean running, Behaviour behaviour) {
    static CscView of(TwinCscs.SimulatedCsc c) {
      return new CscView(c.site(), c.id(), c.state().name(), c.beating(), c.behaviour());
    }
  }

  /** {@code behaviour}: one of {@link Behaviour}; {@code running}: false kills the process, true starts it. */
  record Steer(String behaviour, Boolean running) {}

  @GetMapping
  List<CscView> list(@RequestParam String site) {
    sites.require(site);
    return cscs.all(site).stream().map(CscView::of).toList();
  }

  @PostMapping("/{site}/{id}")
  CscView steer(@PathVariable String site, @PathVariable String id, @RequestBody(required = false) Steer steer) {
    sites.require(site);
    CscId cscId;
    try {
      cscId = CscId.parse(id);
    } catch (IllegalArgumentException e) {
      throw new ApiException(HttpStatus.BAD_REQUEST, e.getMessage());
    }
    if (sites.require(site).csc(cscId).isEmpty()) {
      throw new ApiException(HttpStatus.NOT_FOUND, "site '" + site + "' has no CSC " + cscId + " in its inventory");
    }
    if (steer == null || (steer.behaviour() == null && steer.running() == null)) {
      throw new ApiException(HttpStatus.BAD_REQUEST,
          "expected a body {\"behaviour\": one of " + Arrays.toString(Behaviour.values()) + "} and/or {\"running\": true|false}");
    }
    if (steer.behaviour() != null) {
      Behaviour b = Arrays.stream(Behaviour.values()).filter(v -> v.name().equalsIgnoreCase(steer.behaviour().trim()))
          .findFirst().orElseThrow(() -> new ApiException(HttpStatus.BAD_REQUEST, "behaviour '" + steer.behaviour()
              + "' is not one of " + Arrays.toString(Behaviour.values())));
      cscs.setBehaviour(site, cscId, b);
    }
    if (Boolean.TRUE.equals(steer.running())) {
      cscs.launch(site, cscId);
    } else if (Boolean.FALSE.equals(steer.running())) {
      cscs.kill(site, cscId);
    }
    return CscView.of(cscs.get(site, cscId));
  }
}
