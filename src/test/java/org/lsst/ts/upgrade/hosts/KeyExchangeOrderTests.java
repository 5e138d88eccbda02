package org.lsst.ts.upgrade.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.common.NamedResource;
import org.junit.jupiter.api.Test;

class KeyExchangeOrderTests {
  @Test
  void mlKemHybridIsOfferedFirstAndTheRestKeepMinasOrder() {
    List<String> minas = SshClient.setUpDefaultClient().getKeyExchangeFactories().stream()
        .map(NamedResource::getName).toList();
    List<String> ours = SshRemoteHosts.mlKemFirst(SshClient.setUpDefaultClient().getKeyExchangeFactories()).stream()
        .map(NamedResource::getName).toList();

    assertThat(ours.get(0)).isEqualTo("mlkem768x25519-sha256");
    assertThat(ours).containsExactlyInAnyOrderElementsOf(minas);
    assertThat(ours.stream().filter(n -> !n.startsWith("mlkem768x25519")).toList())
        .isEqualTo(minas.stream().filter(n -> !n.startsWith("mlkem768x25519")).toList());
  }
}
