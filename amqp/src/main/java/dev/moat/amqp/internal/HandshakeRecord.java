package dev.moat.amqp.internal;

import java.util.Optional;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * The first TLS failure of one connection, as the {@link javax.net.ssl.SSLEngine} threw it.
 *
 * <p>Proton-J logs and swallows an {@link SSLException} thrown while it wraps outgoing bytes (the
 * usual place where the JDK reports a certificate refused during the handshake), so the refusal
 * with its typed reason would be lost. The engine wrapper records it here first.
 */
public final class HandshakeRecord {
  private @Nullable SSLException failure;
  private volatile boolean finished;

  /** Remembers {@code e} if it is the first failure. */
  public synchronized void fail(SSLException e) {
    if (failure == null) {
      failure = e;
    }
  }

  /** The first failure, if any. */
  public synchronized Optional<SSLException> failure() {
    return Optional.ofNullable(failure);
  }

  void finished() {
    finished = true;
  }

  /** Whether the handshake completed. */
  public boolean isFinished() {
    return finished;
  }
}
