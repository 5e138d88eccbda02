package org.lsst.ts.upgrade.chat;

import java.util.Optional;
import org.lsst.ts.upgrade.site.Site;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** The configured API URL; the token from the environment variable named by the site file. */
@Component
class ConfiguredSlackAccess implements SlackAccess {
  private final SlackProperties properties;
  private final Environment environment;

  ConfiguredSlackAccess(SlackProperties properties, Environment environment) {
    this.properties = properties;
    this.environment = environment;
  }

  @Override
  public String apiUrl() {
    return properties.apiUrl();
  }

  @Override
  public Optional<String> token(Site site) {
    String env = site.credentials() == null ? null : site.credentials().slackTokenEnv();
    return env == null ? Optional.empty() : Optional.ofNullable(environment.getProperty(env)).filter(t -> !t.isBlank());
  }
}
