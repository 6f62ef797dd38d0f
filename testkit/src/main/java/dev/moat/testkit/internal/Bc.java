package dev.moat.testkit.internal;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** One private Bouncy Castle provider instance, never registered with {@code Security}. */
public final class Bc {
  private static final Provider PROVIDER = new BouncyCastleProvider();

  private Bc() {}

  /** The private provider, to pass to Bouncy Castle builders explicitly. */
  public static Provider provider() {
    return PROVIDER;
  }
}
