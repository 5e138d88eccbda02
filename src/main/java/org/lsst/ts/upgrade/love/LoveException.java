package org.lsst.ts.upgrade.love;

/**
 * A LOVE call failed. Each cause has its own subclass so callers (and the process's retry and
 * incident logic) can tell them apart; every message names the site and what was asked.
 */
public abstract class LoveException extends RuntimeException {
  private final String site;

  LoveException(String site, String message, Throwable cause) {
    super("LOVE at site '" + site + "': " + message, cause);
    this.site = site;
  }

  public String site() {
    return site;
  }

  /** Login refused (LOVE answers 400): the username/password in the named environment variables are wrong. */
  public static final class BadCredentials extends LoveException {
    BadCredentials(String site, String message) {
      super(site, message, null);
    }
  }

  /** The credentials are missing from the environment: nothing was sent. */
  public static final class MissingCredentials extends LoveException {
    MissingCredentials(String site, String message) {
      super(site, message, null);
    }
  }

  /** 403: the user may log in but is not allowed to command the observatory. */
  public static final class Forbidden extends LoveException {
    Forbidden(String site, String message) {
      super(site, message, null);
    }
  }

  /** No answer within the client's request timeout (the command may or may not have been executed). */
  public static final class Timeout extends LoveException {
    Timeout(String site, String message, Throwable cause) {
      super(site, message, cause);
    }
  }

  /** 504: LOVE gave up waiting for the CSC's ack; the command may still have been executed. */
  public static final class CommandTimeout extends LoveException {
    CommandTimeout(String site, String message) {
      super(site, message, null);
    }
  }

  /** The command failed (LOVE answers a non-200, typically a non-JSON 500). */
  public static final class CommandFailed extends LoveException {
    private final int status;

    CommandFailed(String site, int status, String message) {
      super(site, message, null);
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /** LOVE is not reachable or answers 503 (e.g. its namespace was cleaned up). */
  public static final class Unavailable extends LoveException {
    private final boolean notDone;

    Unavailable(String site, String message, Throwable cause) {
      this(site, message, cause, false);
    }

    Unavailable(String site, String message, Throwable cause, boolean notDone) {
      super(site, message, cause);
      this.notDone = notDone;
    }

    /**
     * Whether the request certainly did nothing: no connection was made, or LOVE answered 503
     * (not serving). A broken connection or a 502 may come after LOVE acted.
     */
    public boolean notDone() {
      return notDone;
    }
  }

  /** The ScriptQueue is not ENABLED (or not running at all): it accepts no scripts. */
  public static final class QueueNotEnabled extends LoveException {
    private final int queue;

    QueueNotEnabled(String site, int queue, String message) {
      super(site, message, null);
      this.queue = queue;
    }

    public int queue() {
      return queue;
    }
  }

  /** After a 504 the queue shows more than one script that could be ours: an operator must decide. */
  public static final class AmbiguousAdd extends LoveException {
    AmbiguousAdd(String site, String message) {
      super(site, message, null);
    }
  }

  /** LOVE answered something this client does not understand (not the documented JSON). */
  public static final class BadResponse extends LoveException {
    BadResponse(String site, String message) {
      super(site, message, null);
    }
  }
}
