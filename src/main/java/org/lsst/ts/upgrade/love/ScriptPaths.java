package org.lsst.ts.upgrade.love;

/** Paths of the standard scripts the runbook uses (relative to the standard scripts root). */
public final class ScriptPaths {
  public static final String SYSTEM_WIDE_SHUTDOWN = "system_wide_shutdown.py";
  public static final String SET_SUMMARY_STATE = "set_summary_state.py";
  public static final String RUN_COMMAND = "run_command.py";

  public static final String AT_ENABLE_ATCS = "auxtel/enable_atcs.py";
  // the seed writes "auxtel/enable_lattis.py" (typo); the integration contracts name enable_latiss.py
  public static final String AT_ENABLE_LATISS = "auxtel/enable_latiss.py";
  public static final String AT_PREPARE_ONSKY = "auxtel/prepare_for/onsky.py";
  public static final String AT_TRACK_TARGET = "auxtel/track_target.py";
  public static final String AT_TAKE_IMAGE = "auxtel/take_image_latiss.py";
  public static final String AT_STOP_TRACKING = "auxtel/stop_tracking.py";
  public static final String AT_STANDBY_ATCS = "auxtel/standby_atcs.py";

  // The seed writes "maintel/enable_atcs.py"; the standard script enabling the main telescope's
  // control system is maintel/enable_mtcs.py (the AT name looks like a copy slip).
  public static final String MT_ENABLE_MTCS = "maintel/enable_mtcs.py";
  public static final String MT_ENABLE_LSSTCAM = "maintel/enable_lsstcam.py";
  public static final String MT_HOME_BOTH_AXES = "maintel/home_both_axes.py";
  public static final String MT_ENABLE_HEXAPOD_COMPENSATION = "maintel/enable_hexapod_compensation_mode.py";
  public static final String MT_OPEN_DOME = "maintel/mtdome/open_dome.py";
  public static final String MT_ENABLE_DOME_FOLLOWING = "maintel/mtdome/enable_dome_following.py";
  public static final String MT_RAISE_M1M3 = "maintel/m1m3/raise_m1m3.py";
  public static final String MT_TRACK_TARGET = "maintel/track_target.py";
  public static final String MT_TAKE_IMAGE = "maintel/take_image_lsstcam.py";
  public static final String MT_STOP_TRACKING = "maintel/stop_tracking.py";
  /** Leaves the main telescope's control system in STANDBY (the counterpart of auxtel/standby_atcs.py). */
  public static final String MT_STANDBY_MTCS = "maintel/standby_mtcs.py";

  private ScriptPaths() {}
}
