package org.lsst.ts.upgrade.rehearsal;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The standalone twin ({@link TwinApplication}).
 *
 * @param outDir where it writes {@code sites/<id>.yaml}, {@code ssh/} and {@code orchestrator.env}
 * @param controlPassword password of the control API's user {@code twin} (HTTP Basic); required:
 *     the twin has no default password
 */
@ConfigurationProperties("upgrade.twin")
public record TwinProperties(@DefaultValue("./twin") Path outDir, String controlPassword) {}
