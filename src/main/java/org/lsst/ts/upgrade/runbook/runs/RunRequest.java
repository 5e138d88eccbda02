package org.lsst.ts.upgrade.runbook.runs;

import java.util.List;

/**
 * A validated request to start a run: what {@link RunInputValidator} made of the JSON body.
 * Fields a process does not use are null.
 */
record RunRequest(
    String process,
    String site,
    String cycle,
    String revision,
    Boolean breakingSchemaChange,
    String phalanxRef,
    String dockerComposeOpsBranch,
    String loveIntegrationToolsBranch,
    List<String> cscs,
    List<String> telescopes,
    /** incremental-upgrade: full topic names the new interface adds (checked on the broker). */
    List<String> newTopics) {}
