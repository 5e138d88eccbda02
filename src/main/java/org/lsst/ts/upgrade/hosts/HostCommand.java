package org.lsst.ts.upgrade.hosts;

import java.util.Map;

/**
 * A command template from the site file with named parameters ({@code {repo}}, {@code {branch}},
 * ...). Parameters are validated against strict patterns and shell-quoted when rendered.
 */
public record HostCommand(String template, Map<String, String> params) {

  public HostCommand {
    params = params == null ? Map.of() : Map.copyOf(params);
  }

  public static HostCommand of(String template) {
    return new HostCommand(template, Map.of());
  }
}
