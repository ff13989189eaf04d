package io.rankwise.runtime;

/** Exit codes of bin/rankwise and of rank processes. */
public final class ExitCodes {
  public static final int OK = 0;
  /** A driver threw on some rank, or a rank died. */
  public static final int FAILED = 1;
  /** Bad command line, unknown driver class, missing installation. */
  public static final int USAGE = 2;
  /** The job ran past {@code --timeout} (same code as coreutils' timeout). */
  public static final int TIMEOUT = 124;

  private ExitCodes() {}
}
