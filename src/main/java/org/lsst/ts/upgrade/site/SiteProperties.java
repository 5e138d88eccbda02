package org.lsst.ts.upgrade.site;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param sitesDir a directory of extra {@code <id>.yaml} site files (optional)
 * @param builtinSites whether the site files packaged with the application
 *     ({@code classpath:sites/*.yaml}) are loaded. False in a cluster: the chart mounts the one site
 *     the deployment serves into {@code sites-dir}, so that a deployment never acts on another site
 *     with its own cluster's credentials (a clean-up for "tts" run by the Summit's orchestrator would
 *     otherwise reach the Summit's cluster through the in-cluster service account).
 */
@ConfigurationProperties("upgrade")
public record SiteProperties(Path sitesDir, @DefaultValue("true") boolean builtinSites) {

  @ConstructorBinding
  public SiteProperties {}

  /** The packaged sites plus those of {@code sitesDir} (null: none). */
  public SiteProperties(Path sitesDir) {
    this(sitesDir, true);
  }
}
