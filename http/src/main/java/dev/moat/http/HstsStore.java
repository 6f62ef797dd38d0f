package dev.moat.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Remembers HTTP Strict Transport Security (RFC 6797): hosts that said, over verified TLS, that
 * they must only be reached over https. Bounded (least recently used hosts are forgotten first),
 * in memory, thread-safe.
 *
 * <pre>{@code
 * HstsStore hsts = HstsStore.inMemory(1_000, Clock.systemUTC());
 * OkHttpClient client = OkHttpTls.newBuilder(policy, HttpOptions.builder().hstsStore(hsts).build()).build();
 * }</pre>
 *
 * <p>The clients of this module feed it every {@code Strict-Transport-Security} header received on
 * a connection verified by the policy, and consult it before sending a request to an {@code
 * http://} URL: a known host is upgraded to https (port 80 becomes 443, any other port is kept).
 * Headers received over plaintext are ignored, as are hosts that are IP literals.
 */
public final class HstsStore {
  /** The default bound on remembered hosts. */
  public static final int DEFAULT_MAX_HOSTS = 1_000;

  private static final long MAX_AGE_CAP_SECONDS = Duration.ofDays(3650).getSeconds();

  private final int maxHosts;
  private final Clock clock;
  private final LinkedHashMap<String, Entry> entries;

  private HstsStore(int maxHosts, Clock clock) {
    this.maxHosts = maxHosts;
    this.clock = clock;
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > HstsStore.this.maxHosts;
          }
        };
  }

  /** A store of at most {@value #DEFAULT_MAX_HOSTS} hosts on the system clock. */
  public static HstsStore inMemory() {
    return inMemory(DEFAULT_MAX_HOSTS, Clock.systemUTC());
  }

  /**
   * A store of at most {@code maxHosts} hosts.
   *
   * @throws IllegalArgumentException when {@code maxHosts} is not positive
   */
  public static HstsStore inMemory(int maxHosts, Clock clock) {
    if (maxHosts < 1) {
      throw new IllegalArgumentException("maxHosts " + maxHosts + " must be at least 1");
    }
    return new HstsStore(maxHosts, Objects.requireNonNull(clock, "clock"));
  }

  /**
   * Records a {@code Strict-Transport-Security} header value received from {@code host} over
   * verified TLS. {@code max-age=0} forgets the host; an invalid header is ignored, as RFC 6797
   * says.
   *
   * @return true when the header was valid and applied
   */
  public boolean remember(String host, String headerValue) {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(headerValue, "headerValue");
    String name = normalize(host);
    if (name == null) {
      return false;
    }
    Long maxAge = null;
    boolean includeSubDomains = false;
    for (String raw : headerValue.split(";", -1)) {
      String directive = raw.trim();
      if (directive.isEmpty()) {
        continue;
      }
      int eq = directive.indexOf('=');
      String key = (eq < 0 ? directive : directive.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
      String value = eq < 0 ? null : unquote(directive.substring(eq + 1).trim());
      if (key.equals("max-age")) {
        if (maxAge != null || value == null) {
          return false; // duplicate or valueless max-age: the header is invalid
        }
        maxAge = parseSeconds(value);
        if (maxAge == null) {
          return false;
        }
      } else if (key.equals("includesubdomains")) {
        if (includeSubDomains || value != null) {
          return false;
        }
        includeSubDomains = true;
      }
    }
    if (maxAge == null) {
      return false;
    }
    synchronized (entries) {
      if (maxAge == 0) {
        entries.remove(name);
      } else {
        entries.put(name, new Entry(clock.instant().plusSeconds(maxAge), includeSubDomains));
      }
    }
    return true;
  }

  /**
   * Whether a request to {@code host} must be upgraded to https: the host itself is a known,
   * unexpired HSTS host, or a parent domain is one with {@code includeSubDomains}.
   */
  public boolean upgrades(String host) {
    String name = normalize(host);
    if (name == null) {
      return false;
    }
    Instant now = clock.instant();
    synchronized (entries) {
      Entry own = lookup(name, now);
      if (own != null) {
        return true;
      }
      for (int dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', dot + 1)) {
        Entry parent = lookup(name.substring(dot + 1), now);
        if (parent != null && parent.includeSubDomains) {
          return true;
        }
      }
    }
    return false;
  }

  /** The number of hosts remembered (expired entries may still be counted until looked up). */
  public int size() {
    synchronized (entries) {
      return entries.size();
    }
  }

  /** Forgets every host. */
  public void clear() {
    synchronized (entries) {
      entries.clear();
    }
  }

  private @Nullable Entry lookup(String name, Instant now) {
    Entry e = entries.get(name);
    if (e != null && !now.isBefore(e.expires)) {
      entries.remove(name);
      return null;
    }
    return e;
  }

  /** Lower-case, no trailing dot; null for IP literals, which RFC 6797 excludes. */
  static @Nullable String normalize(String host) {
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (h.isEmpty() || h.indexOf(':') >= 0 || h.startsWith("[") || h.matches("[0-9.]+")) {
      return null;
    }
    return h;
  }

  private static String unquote(String value) {
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      return value.substring(1, value.length() - 1);
    }
    return value;
  }

  private static @Nullable Long parseSeconds(String value) {
    if (value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return null;
    }
    if (value.length() > 12) {
      return MAX_AGE_CAP_SECONDS;
    }
    return Math.min(Long.parseLong(value), MAX_AGE_CAP_SECONDS);
  }

  @Override
  public String toString() {
    return "HstsStore{hosts=" + size() + ", maxHosts=" + maxHosts + "}";
  }

  private static final class Entry {
    final Instant expires;
    final boolean includeSubDomains;

    Entry(Instant expires, boolean includeSubDomains) {
      this.expires = expires;
      this.includeSubDomains = includeSubDomains;
    }
  }
}
