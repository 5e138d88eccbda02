package org.lsst.ts.upgrade.site;

/** A site id that no site file defines. */
public class UnknownSiteException extends org.lsst.ts.upgrade.ApiException {
  private final String siteId;

  public UnknownSiteException(String siteId, java.util.Collection<String> known) {
    super(org.springframework.http.HttpStatus.NOT_FOUND, "unknown site '" + siteId + "'; known sites: " + String.join(", ", known));
    this.siteId = siteId;
  }

  public String siteId() {
    return siteId;
  }
}
