package org.lsst.ts.upgrade.site;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * The sites the orchestrator knows: {@code classpath:sites/*.yaml} plus {@code *.yaml} in
 * {@code upgrade.sites-dir} (only the latter with {@code upgrade.builtin-sites=false}, as in a
 * cluster), or, when a {@link SiteFileSource} is present (the in-JVM rehearsal twin), only that
 * source's files. Loaded and validated at startup, then never changed; an invalid file stops the
 * application with a message naming the file, the path inside it and the problem.
 */
@Component
public class Sites {
  private static final Logger log = LoggerFactory.getLogger(Sites.class);

  /** In file order (classpath first); unmodifiable. */
  private final Map<String, Site> sites;

  /** The configured site files. */
  public Sites(SiteProperties properties) {
    this(load(properties.sitesDir(), properties.builtinSites()));
    log.info("Loaded sites {}", sites.keySet());
  }

  /**
   * The site files of the source when there is one (it serves the sites itself and wrote their
   * files before this is built), else the configured ones.
   */
  @Autowired
  public Sites(SiteProperties properties, ObjectProvider<SiteFileSource> source) {
    this(loadFrom(properties, source.getIfAvailable()));
    log.info("Loaded sites {}", sites.keySet());
  }

  private Sites(Map<String, Site> loaded) {
    this.sites = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(loaded));
  }

  private static Map<String, Site> loadFrom(SiteProperties properties, SiteFileSource source) {
    if (source == null) {
      return load(properties.sitesDir(), properties.builtinSites());
    }
    return load(source.sitesDir(), false);
  }

  /** All sites, in file order (classpath first). */
  public List<Site> all() {
    return List.copyOf(sites.values());
  }

  public Optional<Site> find(String id) {
    return id == null ? Optional.empty() : Optional.ofNullable(sites.get(id));
  }

  /** The site, or an {@link UnknownSiteException} (404) listing the known ones. */
  public Site require(String id) {
    return find(id).orElseThrow(() -> new UnknownSiteException(id, ids()));
  }

  public Collection<String> ids() {
    return List.copyOf(sites.keySet());
  }

  /**
   * A copy with one site changed (this one stays as it is): for the rehearsal twin's own registry
   * of what it simulates, and for tests that point a site at their servers.
   */
  public Sites with(String id, UnaryOperator<Site> change) {
    Map<String, Site> changed = new LinkedHashMap<>(sites);
    Site site = require(id);
    Site after = change.apply(site);
    if (!after.id().equals(id)) {
      throw new IllegalArgumentException("a site's change cannot change its id (" + id + " -> " + after.id() + ")");
    }
    changed.put(id, after);
    return new Sites(changed);
  }

  static Map<String, Site> load(Path sitesDir) {
    return load(sitesDir, true);
  }

  static Map<String, Site> load(Path sitesDir, boolean builtin) {
    Map<String, Site> result = new LinkedHashMap<>();
    Map<String, String> sourceOf = new LinkedHashMap<>();
    if (!builtin && sitesDir == null) {
      throw new SiteConfigurationException("upgrade.sites-dir", List.of("is required when upgrade.builtin-sites is "
          + "false (the packaged site files are not loaded): set it to the directory of this deployment's site file"));
    }
    try {
      Resource[] resources = builtin ? new PathMatchingResourcePatternResolver().getResources("classpath*:sites/*.yaml")
          : new Resource[0];
      java.util.Arrays.sort(resources, java.util.Comparator.comparing(Resource::getFilename));
      for (Resource r : resources) {
        String name = "classpath:sites/" + r.getFilename();
        try (InputStream in = r.getInputStream()) {
          add(result, sourceOf, name, SiteFileReader.read(name, in, baseName(r.getFilename())));
        }
      }
      if (sitesDir != null) {
        if (!Files.isDirectory(sitesDir)) {
          throw new SiteConfigurationException(sitesDir.toString(),
              List.of("upgrade.sites-dir is not a directory"));
        }
        try (Stream<Path> files = Files.list(sitesDir)) {
          for (Path p : files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList()) {
            try (InputStream in = Files.newInputStream(p)) {
              add(result, sourceOf, p.toString(), SiteFileReader.read(p.toString(), in,
                  baseName(p.getFileName().toString())));
            }
          }
        }
      }
    } catch (IOException e) {
      throw new SiteConfigurationException(String.valueOf(sitesDir), List.of("cannot be read: " + e.getMessage()));
    }
    if (!builtin && result.isEmpty()) {
      throw new SiteConfigurationException(String.valueOf(sitesDir), List.of("upgrade.sites-dir has no site file "
          + "(*.yaml) and upgrade.builtin-sites is false: no site to serve"));
    }
    return result;
  }

  private static void add(Map<String, Site> result, Map<String, String> sourceOf, String file, Site site) {
    if (result.containsKey(site.id())) {
      throw new SiteConfigurationException(file, List.of("id: site '" + site.id() + "' is already defined by "
          + sourceOf.get(site.id())));
    }
    result.put(site.id(), site);
    sourceOf.put(site.id(), file);
  }

  private static String baseName(String fileName) {
    return fileName.substring(0, fileName.length() - ".yaml".length());
  }
}
