package org.lsst.ts.upgrade.site;

/** A CSC id that is not in the site's inventory. */
public class UnknownCscException extends org.lsst.ts.upgrade.ApiException {
  private final String csc;

  public UnknownCscException(String site, String csc) {
    super(org.springframework.http.HttpStatus.BAD_REQUEST, "CSC '" + csc + "' is not in the inventory of site '" + site + "'");
    this.csc = csc;
  }

  public String csc() {
    return csc;
  }
}
