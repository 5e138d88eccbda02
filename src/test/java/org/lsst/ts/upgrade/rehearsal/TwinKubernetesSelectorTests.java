package org.lsst.ts.upgrade.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TwinKubernetesSelectorTests {

  @Test
  void setBasedRequirementsAreEvaluated() {
    var s = TwinKubernetesSelector.parse("csc in (atocps, ccocps, raocps)");
    assertThat(s.hasSetBased()).isTrue();
    assertThat(s.plainPart()).isNull();
    assertThat(s.matches(Map.of("csc", "ccocps"))).isTrue();
    assertThat(s.matches(Map.of("csc", "dmocps"))).isFalse();
    assertThat(s.matches(Map.of())).isFalse();
  }

  @Test
  void mixedSelectorsKeepThePlainPartForTheMockServer() {
    var s = TwinKubernetesSelector.parse("app=uws,csc notin (a,b),!skip,tier");
    assertThat(s.plainPart()).isEqualTo("app=uws,!skip,tier");
    assertThat(s.matches(Map.of("app", "uws", "csc", "c", "tier", "x"))).isTrue();
    assertThat(s.matches(Map.of("app", "uws", "csc", "a", "tier", "x"))).isFalse();
    assertThat(s.matches(Map.of("app", "uws", "tier", "x", "skip", "y"))).isFalse();
    assertThat(TwinKubernetesSelector.parse("a!=b").matches(Map.of("a", "c"))).isTrue();
  }

  @Test
  void unreadableSelectorNamesThePart() {
    assertThatThrownBy(() -> TwinKubernetesSelector.parse("csc in atocps")).hasMessageContaining("csc in atocps");
  }
}
