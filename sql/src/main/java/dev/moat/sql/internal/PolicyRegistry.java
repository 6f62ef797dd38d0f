package dev.moat.sql.internal;

import dev.moat.core.TlsPolicy;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands a {@link TlsPolicy} to a trust manager that the SQL Server driver instantiates by class
 * name: the driver only passes one string ({@code trustManagerConstructorArg}), so each policy is
 * registered once under a random, unguessable id and the id travels in that string.
 *
 * <p>An id is never reused and an entry is never replaced, so registering one policy cannot change
 * what another connection trusts. The same policy instance always gets the same id, so building
 * many data sources from one policy does not grow the registry. Policies are meant to live as long
 * as the application; entries are kept for the life of the class loader.
 */
public final class PolicyRegistry {
  /** Prefix of every id, so a handle is recognisable in a property dump. */
  public static final String ID_PREFIX = "moat-policy-";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Map<String, TlsPolicy> BY_ID = new ConcurrentHashMap<>();
  private static final Map<TlsPolicy, String> IDS = new IdentityHashMap<>();

  private PolicyRegistry() {}

  /** The id of {@code policy}, registering it on first use. */
  public static String idOf(TlsPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    synchronized (IDS) {
      String id = IDS.get(policy);
      if (id != null) {
        return id;
      }
      while (true) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        String candidate = ID_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        // putIfAbsent: an existing entry is never overwritten (a collision just draws again).
        if (BY_ID.putIfAbsent(candidate, policy) == null) {
          IDS.put(policy, candidate);
          return candidate;
        }
      }
    }
  }

  /** The policy registered under {@code id}, if any. */
  public static Optional<TlsPolicy> lookup(String id) {
    return Optional.ofNullable(BY_ID.get(id));
  }
}
