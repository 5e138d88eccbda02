package org.lsst.ts.upgrade.runbook.scripts;

import static org.lsst.ts.upgrade.love.ScriptPaths.*;

import java.util.ArrayList;
import java.util.List;
import org.lsst.ts.upgrade.site.CscId;
import org.lsst.ts.upgrade.site.SummaryState;
import org.lsst.ts.upgrade.love.ScriptRequest;
import org.lsst.ts.upgrade.love.Scripts;
import org.springframework.stereotype.Component;

/**
 * The named lists of scripts the {@code run-scripts} process runs, in order: the minimal tests of
 * the seed ("Minimal Testing") split where a person acts between them, their safe endings, and
 * the incremental upgrade's state cycling. A list is computed from the run's variables each time
 * it is asked for, so it is the same on every retry.
 */
@Component
public class ScriptSets {
  public static final String AUXTEL_ENABLE = "auxtel-enable";
  public static final String AUXTEL_TRACK = "auxtel-track";
  public static final String AUXTEL_SAFE = "auxtel-safe";
  public static final String MAINTEL_ENABLE = "maintel-enable";
  public static final String MAINTEL_TRACK = "maintel-track";
  public static final String MAINTEL_SAFE = "maintel-safe";
  public static final String CYCLE_CSCS = "cycle-cscs";

  /** ScriptQueue indices (LOVE): MainTel 1, AuxTel 2, OCS 3. */
  public static final int MAINTEL_QUEUE = 1;
  public static final int AUXTEL_QUEUE = 2;
  public static final int OCS_QUEUE = 3;

  /**
   * @param takesImages false at TTS (tracking only): no camera is enabled, no playlist, no image
   * @param cscs the incremental upgrade's affected CSCs (for {@link #CYCLE_CSCS})
   */
  public List<ScriptRequest> resolve(String set, boolean takesImages, List<String> cscs) {
    List<ScriptRequest> l = new ArrayList<>();
    switch (set) {
      case AUXTEL_ENABLE -> {
        l.add(Scripts.standard(AT_ENABLE_ATCS, "AuxTel minimal testing: enable ATCS"));
        if (takesImages) {
          l.add(Scripts.standard(AT_ENABLE_LATISS, "AuxTel minimal testing: enable LATISS"));
        }
      }
      case AUXTEL_TRACK -> {
        if (takesImages) {
          l.add(Scripts.loadPlaylist(CscId.of("ATCamera"), "bias"));
        }
        l.add(Scripts.standard(AT_PREPARE_ONSKY, "AuxTel minimal testing: prepare for on-sky"));
        l.add(Scripts.auxtelTrackTarget(18, -20));
        if (takesImages) {
          l.add(Scripts.auxtelTakeImages(5, "BIAS"));
        }
      }
      case AUXTEL_SAFE -> {
        l.add(Scripts.standard(AT_STOP_TRACKING, "AuxTel minimal testing: stop tracking"));
        l.add(Scripts.standard(AT_STANDBY_ATCS, "AuxTel minimal testing: ATCS to STANDBY"));
      }
      case MAINTEL_ENABLE -> {
        l.add(Scripts.standard(MT_ENABLE_MTCS, "MainTel minimal testing: enable MTCS"));
        if (takesImages) {
          l.add(Scripts.standard(MT_ENABLE_LSSTCAM, "MainTel minimal testing: enable LSSTCam"));
        }
      }
      case MAINTEL_TRACK -> {
        if (takesImages) {
          l.add(Scripts.loadPlaylist(CscId.of("MTCamera"), "lsstcam-20250530"));
        }
        l.add(Scripts.standard(MT_HOME_BOTH_AXES, "MainTel minimal testing: home both axes"));
        l.add(Scripts.standard(MT_ENABLE_HEXAPOD_COMPENSATION, "MainTel minimal testing: hexapod compensation mode"));
        l.add(Scripts.standard(MT_OPEN_DOME, "MainTel minimal testing: open dome"));
        l.add(Scripts.standard(MT_ENABLE_DOME_FOLLOWING, "MainTel minimal testing: dome following"));
        l.add(Scripts.standard(MT_RAISE_M1M3, "MainTel minimal testing: raise M1M3"));
        l.add(Scripts.maintelTrackTarget("HD164461", 80.0, "PhysicalSky", 30));
        if (takesImages) {
          l.add(Scripts.maintelTakeImages(30, 5, "ACQ"));
        }
      }
      case MAINTEL_SAFE -> {
        l.add(Scripts.standard(MT_STOP_TRACKING, "MainTel minimal testing: stop tracking"));
        l.add(Scripts.standard(MT_STANDBY_MTCS, "MainTel minimal testing: MTCS to STANDBY"));
      }
      case CYCLE_CSCS -> {
        // seed: the affected CSCs are cycled through their states so none goes to FAULT and the
        // new topics get populated: up to ENABLED, then back to STANDBY
        List<CscId> ids = (cscs == null ? List.<String>of() : cscs).stream().map(CscId::parse).toList();
        if (ids.isEmpty()) {
          throw new IllegalArgumentException("script set cycle-cscs needs the affected CSCs (variable cscs)");
        }
        l.add(Scripts.setSummaryState(ids, SummaryState.ENABLED, false));
        l.add(Scripts.setSummaryState(ids, SummaryState.STANDBY, false));
      }
      default -> throw new IllegalArgumentException("unknown script set '" + set + "'");
    }
    return l;
  }
}
