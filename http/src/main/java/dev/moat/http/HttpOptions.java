package dev.moat.http;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * HTTP-specific settings that a {@link dev.moat.core.TlsPolicy} cannot carry, because core knows
 * nothing of HTTP: which plaintext-exempted hosts must send a payload digest, and where HSTS
 * knowledge is kept.
 *
 * <pre>{@code
 * TlsPolicy policy = TlsPolicy.builder()
 *     .insecureAllowPlaintextTo("legacy-blobs.internal", "appliance without TLS, isolated VLAN")
 *     .build();
 * HttpOptions options = HttpOptions.builder().requireIntegrityFor("legacy-blobs.internal").build();
 * OkHttpClient client = OkHttpTls.newBuilder(policy, options).build();
 * }</pre>
 *
 * <p>Immutable. The {@link HstsStore} it holds is shared by every client built with these options.
 */
public final class HttpOptions {
  private final Set<String> integrityRequired;
  private final HstsStore hsts;

  private HttpOptions(Builder b) {
    this.integrityRequired = Set.copyOf(b.integrityRequired);
    this.hsts = b.hsts == null ? HstsStore.inMemory() : b.hsts;
  }

  /** Options with no integrity requirement and a fresh {@link HstsStore#inMemory()}. */
  public static HttpOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether a plaintext response from {@code host} must carry a digest Moat can check. */
  public boolean requiresIntegrity(String host) {
    return integrityRequired.contains(host.toLowerCase(Locale.ROOT));
  }

  /** The hosts whose plaintext responses must carry a digest. */
  public Set<String> integrityRequiredHosts() {
    return integrityRequired;
  }

  /** Where HSTS hosts are remembered. */
  public HstsStore hstsStore() {
    return hsts;
  }

  @Override
  public String toString() {
    return "HttpOptions{integrityRequired=" + integrityRequired + ", hsts=" + hsts + "}";
  }

  /** Builds {@link HttpOptions}. */
  public static final class Builder {
    private final Set<String> integrityRequired = new LinkedHashSet<>();
    private @Nullable HstsStore hsts;

    private Builder() {}

    /**
     * Requires that plaintext responses from {@code host} (a host the policy exempts with {@code
     * insecureAllowPlaintextTo}) carry {@code Content-MD5}, {@code x-ms-blob-content-md5}, or a
     * sha-256/sha-512 {@code Content-Digest} or {@code Repr-Digest}; a response without one fails
     * with {@link PayloadIntegrityException}. Digests that are present are always checked, required
     * or not.
     */
    public Builder requireIntegrityFor(String host) {
      Objects.requireNonNull(host, "host");
      if (host.isBlank() || host.contains("*")) {
        throw new IllegalArgumentException(
            "requireIntegrityFor host '" + host + "' must be one exact host name");
      }
      integrityRequired.add(host.trim().toLowerCase(Locale.ROOT));
      return this;
    }

    /** Shares an HSTS store (for example between an OkHttp and a java.net.http client). */
    public Builder hstsStore(HstsStore store) {
      this.hsts = Objects.requireNonNull(store, "store");
      return this;
    }

    public HttpOptions build() {
      return new HttpOptions(this);
    }
  }
}
