package org.lsst.ts.upgrade.site;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** @param sitesDir a directory of extra {@code <id>.yaml} site files (optional) */
@ConfigurationProperties("upgrade")
public record SiteProperties(Path sitesDir) {}
