package dev.moat.cli.internal;

/** The exit statuses of every {@code moat} command. */
public final class ExitCodes {
  /** Accepted, or the command did what was asked. */
  public static final int OK = 0;
  /** The strict policy refuses the peer or chain. */
  public static final int REFUSED = 1;
  /** Unusable arguments or input: unknown option, unreadable file, garbage PEM. */
  public static final int USAGE = 2;
  /** The peer could not be reached or never answered within the timeouts. */
  public static final int UNREACHABLE = 3;

  private ExitCodes() {}
}
