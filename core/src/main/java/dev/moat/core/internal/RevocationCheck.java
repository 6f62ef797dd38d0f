package dev.moat.core.internal;

import dev.moat.core.TlsRefusalException;
import javax.net.ssl.SSLSession;
import org.jspecify.annotations.Nullable;

/** The revocation step of the pipeline, run after the path and the host name are accepted. */
public interface RevocationCheck {
  /** Does nothing: revocation is off. */
  RevocationCheck OFF = (v, path, session) -> {};

  /**
   * @param session the handshake session (for stapled OCSP responses), or null outside a handshake
   * @throws TlsRefusalException when the policy's revocation mode refuses the path
   */
  void check(Verification v, ValidatedPath path, @Nullable SSLSession session) throws TlsRefusalException;
}
