package dev.moat.redis;

import dev.moat.core.Check;
import java.util.Objects;

/**
 * A Redis URI (or a connection about to be opened) whose TLS settings would weaken verification:
 * {@code verifyPeer=NONE}, {@code verifyPeer=CA}, or {@code startTls}. Thrown before any byte is
 * sent. Plaintext ({@code redis://}) is refused with {@link dev.moat.core.PlaintextRefusedException}
 * instead.
 *
 * <pre>{@code
 * try {
 *   LettuceTls.redisClient(policy, "rediss://cache.example.com?verifyPeer=CA");
 * } catch (RedisUriRefusedException e) {
 *   log.error(e.getMessage()); // names the URI (credentials redacted), the check and the fix
 * }
 * }</pre>
 *
 * <p>The message and {@link #endpoint()} never contain a user name or password.
 */
public final class RedisUriRefusedException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final Check check;
  private final String endpoint;

  /**
   * @param check what the setting would have skipped: {@link Check#HOSTNAME} for {@code CA}, {@link
   *     Check#TRUST_PATH} for {@code NONE}, {@link Check#PLAINTEXT} for {@code startTls}
   * @param endpoint the URI with credentials removed
   * @param message the whole message, with the fix
   */
  public RedisUriRefusedException(Check check, String endpoint, String message) {
    super(message);
    this.check = Objects.requireNonNull(check, "check");
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
  }

  /** The verification the refused setting would have skipped. */
  public Check check() {
    return check;
  }

  /** The refused endpoint, credentials redacted. */
  public String endpoint() {
    return endpoint;
  }
}
