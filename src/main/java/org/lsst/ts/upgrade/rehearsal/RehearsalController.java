package org.lsst.ts.upgrade.rehearsal;

import java.util.List;
import java.util.Map;
import org.lsst.ts.upgrade.ApiException;
import org.lsst.ts.upgrade.runbook.runs.Runs;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The twin's control API; exists only in the rehearsal profile. */
@RestController
@Profile("rehearsal")
@RequestMapping("/rehearsal")
class RehearsalController {
  private final ActionLog actions;
  private final FaultRegistry faults;
  private final TwinReset reset;
  /** Absent in the standalone twin (no runs there: the orchestrator is another process). */
  private final ObjectProvider<Runs> runs;

  RehearsalController(ActionLog actions, FaultRegistry faults, TwinReset reset,
      ObjectProvider<Runs> runs) {
    this.actions = actions;
    this.faults = faults;
    this.reset = reset;
    this.runs = runs;
  }

  /** Puts the twin site back in operation for the next rehearsal; refused while a run is in progress there. */
  @PostMapping("/sites/{site}/reset")
  Map<String, String> reset(@PathVariable String site) {
    runs.ifAvailable(r -> r.activeRunId(site).ifPresent(run -> {
      throw new ApiException(HttpStatus.CONFLICT, "run " + run + " is in progress at site '" + site
          + "'; cancel it (or let it finish) before resetting the twin");
    }));
    reset.reset(site);
    return Map.of("site", site, "state", "in operation");
  }

  /** Every action the twin received, in order; {@code site} and {@code system} filter. */
  @GetMapping("/actions")
  List<ActionLog.Action> actions(@RequestParam(required = false) String site,
      @RequestParam(required = false) String system) {
    return actions.actions(site).stream().filter(a -> system == null || system.equals(a.system())).toList();
  }

  record FaultRequest(String site, String system, String target, String kind, Map<String, String> params, Integer times) {}

  @PostMapping("/faults")
  @ResponseStatus(HttpStatus.CREATED)
  FaultRegistry.Fault inject(@RequestBody FaultRequest r) {
    if (r.system() == null || r.kind() == null) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "a fault needs 'system' and 'kind'");
    }
    if (r.times() != null && r.times() < 0) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "'times' must be 0 (until removed) or more, not " + r.times());
    }
    return faults.inject(r.site(), r.system(), r.target(), r.kind(), r.params(), r.times() == null ? 0 : r.times());
  }

  @GetMapping("/faults")
  List<FaultRegistry.Fault> faults() {
    return faults.list();
  }

  @DeleteMapping("/faults/{id}")
  void removeFault(@PathVariable long id) {
    if (!faults.remove(id)) {
      throw new ApiException(HttpStatus.NOT_FOUND, "no fault with id " + id);
    }
  }

  @DeleteMapping("/faults")
  void clearFaults() {
    faults.clear();
  }
}
