package org.lsst.ts.upgrade.love;

import java.util.Map;

/**
 * A script to add to a ScriptQueue. The config is typed values; the client turns it into YAML
 * with a YAML library. The tag makes adding idempotent: it is written into the script's
 * {@code descr}, and a retried add first looks for it in the queue.
 */
public record ScriptRequest(String path, boolean standard, Map<String, Object> config, String description, String tag) {

  public ScriptRequest withTag(String newTag) {
    return new ScriptRequest(path, standard, config, description, newTag);
  }
}
