package org.lsst.ts.upgrade.site;

/** The valid sample site file of {@link SiteFileValidationTests}, for tests in other packages. */
public final class SiteFileValidationTestsAccess {
  public static final String VALID = SiteFileValidationTests.VALID;

  private SiteFileValidationTestsAccess() {}
}
