package org.lsst.ts.upgrade.chat;

import java.util.Optional;
import org.lsst.ts.upgrade.site.Site;

/**
 * Where the Slack Web API is and the bot token for a site. In production the URL is
 * {@code upgrade.slack.api-url} and the token is in the environment variable the site file names;
 * the rehearsal twin provides a primary bean pointing at its own Slack endpoint.
 */
public interface SlackAccess {
  String apiUrl();

  Optional<String> token(Site site);
}
