package org.lsst.ts.upgrade.runbook.scripts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.love.ScriptRequest;
import org.lsst.ts.upgrade.love.Scripts;
import org.lsst.ts.upgrade.site.Site.StateRequest;

/**
 * The one place where the runbook builds ScriptQueue script configurations (the standard scripts of
 * the seed). Configurations travel between process steps as JSON text (a plain String variable,
 * readable in Cockpit) and become a {@link ScriptRequest} only when the script is added.
 */
public final class ScriptConfigs {
  public static final String SYSTEM_WIDE_SHUTDOWN = "system_wide_shutdown.py";
  public static final String SET_SUMMARY_STATE = "set_summary_state.py";

  private static final ObjectMapper JSON = new ObjectMapper();

  private ScriptConfigs() {}

  /** {@code system_wide_shutdown.py}: the Watcher first ({@code start_with}), held CSCs ignored (validated by {@link Scripts}). */
  public static Map<String, Object> systemWideShutdown(String user, String reason, List<CscId> startWith,
      List<CscId> ignore) {
    return Scripts.systemWideShutdown(user, reason, startWith, List.of(), ignore).config();
  }

  /** {@code set_summary_state.py} with {@code data: [[CSC, STATE], ...]} in the given order (validated by {@link Scripts}). */
  public static Map<String, Object> setSummaryState(List<StateRequest> data, Boolean muteAlarms) {
    return Scripts.setSummaryState(data, muteAlarms == null || muteAlarms, null).config();
  }

  public static String toJson(Map<String, Object> config) {
    try {
      return JSON.writeValueAsString(config);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("script configuration cannot be written as JSON: " + e.getMessage(), e);
    }
  }

  public static Map<String, Object> fromJson(String json) {
    if (json == null || json.isBlank()) {
      return Map.of();
    }
    try {
      return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("script configuration is not a JSON object: " + e.getOriginalMessage(), e);
    }
  }

  public static ScriptRequest request(String path, boolean standard, String configJson, String description,
      String tag) {
    return new ScriptRequest(path, standard, fromJson(configJson), description, tag);
  }
}
