package org.lsst.ts.upgrade.site;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a site as a site file that {@link Sites} reads back to the same site (the keys of the
 * site-file reference, kebab-case, nulls left out). The standalone rehearsal twin writes its
 * sites' files with it, so an orchestrator reaches the twin through {@code upgrade.sites-dir}
 * exactly as it reaches a real site.
 */
public final class SiteFileWriter {
  private static final ObjectMapper YAML = JsonMapper.builder(new YAMLFactory()
          .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
      .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
      .serializationInclusion(JsonInclude.Include.NON_NULL)
      .build();

  private SiteFileWriter() {}

  /** The site file's text. */
  public static String toYaml(Site site) {
    try {
      return YAML.writeValueAsString(site);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("site " + site.id() + " cannot be written as a site file: " + e.getMessage(), e);
    }
  }

  /**
   * Writes {@code <dir>/<id>.yaml} atomically (a reader never sees half a file), with a first line
   * saying where it came from.
   */
  public static Path write(Site site, Path dir, String header) {
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve(site.id() + ".yaml");
      Path tmp = Files.createTempFile(dir, "." + site.id(), ".tmp");
      Files.writeString(tmp, (header == null ? "" : "# " + header + "\n") + toYaml(site));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the site file of " + site.id() + " into " + dir, e);
    }
  }
}
