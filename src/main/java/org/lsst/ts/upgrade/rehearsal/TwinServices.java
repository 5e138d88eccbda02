package org.lsst.ts.upgrade.rehearsal;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Which of a twin site's services are up. Cleaning the {@code love} namespace takes the site's
 * LOVE-manager down (it answers 503) until the {@code love} app is synced again, as at the real
 * sites; the Kubernetes twin and Argo CD twin set it, the LOVE twin consults it.
 */
@Component
@Profile("rehearsal")
public class TwinServices {
  public static final String LOVE = "love";

  private final Map<String, Set<String>> down = new ConcurrentHashMap<>();

  public boolean isUp(String site, String service) {
    return !down.getOrDefault(site, Set.of()).contains(service);
  }

  public void setUp(String site, String service, boolean up) {
    Set<String> s = down.computeIfAbsent(site, k -> ConcurrentHashMap.newKeySet());
    if (up) {
      s.remove(service);
    } else {
      s.add(service);
    }
  }
}
