package dev.moat.cli.internal;

import org.jspecify.annotations.Nullable;

/**
 * A failure the user can act on: printed as one line on stderr (plus {@link #detail()}, such as a
 * refusal's full text), never as a stack trace unless {@code --debug}.
 */
public final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;
  private final @Nullable String detail;

  public CliException(int exitCode, String message) {
    this(exitCode, message, null, null);
  }

  public CliException(int exitCode, String message, @Nullable String detail, @Nullable Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
    this.detail = detail;
  }

  public int exitCode() {
    return exitCode;
  }

  public @Nullable String detail() {
    return detail;
  }
}
