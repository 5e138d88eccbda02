package org.lsst.ts.upgrade.runbook;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.csc.CscStates;
import org.lsst.ts.upgrade.site.Site;

/** What a rehearsal run must leave behind: every CSC as the site expects after a deployment. */
public final class FinalStates {
  private FinalStates() {}

  /**
   * Each CSC's effective state against the monitor's expectations (as {@link SitePlan#monitorExpectations});
   * with {@code enabledAtEnd}, the site's {@code enable-at-end} list on top ({@code ESS:*} matches every ESS).
   */
  public static void assertAsExpected(Site site, List<String> expectations, CscStates states, boolean enabledAtEnd) {
    for (String e : expectations) {
      CscId id = CscId.parse(e.substring(0, e.indexOf('=')));
      List<String> expected = List.of(e.substring(e.indexOf('=') + 1).split("\\|"));
      var atEnd = !enabledAtEnd ? java.util.Optional.<Site.StateRequest>empty() : site.enableAtEnd().stream()
          .filter(x -> x.csc().equals(id.toString()) || (x.csc().endsWith(":*") && x.csc().startsWith(id.component() + ":")))
          .findFirst();
      String state = states.statusOf(site.id(), List.of(id)).get(0).effectiveState().name();
      if (atEnd.isPresent()) {
        assertThat(state).as(id.toString()).isEqualTo(atEnd.get().state());
      } else {
        assertThat(state).as(id.toString()).isIn(expected);
      }
    }
  }
}
