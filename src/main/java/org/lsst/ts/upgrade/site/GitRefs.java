package org.lsst.ts.upgrade.site;

import java.util.regex.Pattern;

/**
 * Validation of git branch names and refs given by people (run inputs) before they reach a shell
 * command or a form: letters, digits, '.', '_', '-', '/' only, none of git's forbidden forms.
 */
public final class GitRefs {
  private static final Pattern REF = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,127}");

  private GitRefs() {}

  /** Returns the ref, or throws an IllegalArgumentException naming the field and the reason. */
  public static String validate(String field, String ref) {
    if (ref == null || ref.isBlank()) {
      throw new IllegalArgumentException(field + " is required");
    }
    if (!REF.matcher(ref).matches()) {
      throw new IllegalArgumentException(field + " '" + ref + "' may contain only letters, digits, "
          + "'.', '_', '-' and '/', must start with a letter or digit and be at most 128 characters");
    }
    if (ref.contains("..") || ref.contains("//") || ref.endsWith("/") || ref.endsWith(".") || ref.endsWith(".lock")) {
      throw new IllegalArgumentException(field + " '" + ref + "' is not a valid git branch name "
          + "(no '..', '//', and no trailing '/', '.' or '.lock')");
    }
    return ref;
  }
}
