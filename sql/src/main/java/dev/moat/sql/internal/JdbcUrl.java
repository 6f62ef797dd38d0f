package dev.moat.sql.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A parsed {@code jdbc:sqlserver://host[\instance][:port][;key=value]...} URL. Keys are compared
 * case-insensitively (as the driver does); values may be wrapped in braces to hold {@code ;}
 * ({@code }}} inside braces is a literal brace). Keeps entries in order, so the URL can be written
 * back with some keys removed or replaced.
 */
public final class JdbcUrl {
  /** The driver's own prefix. */
  public static final String SQLSERVER_PREFIX = "jdbc:sqlserver://";

  /** One {@code key=value} entry as written. */
  public record Entry(String key, String value) {
    public Entry {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }

    /** The key in lower case. */
    public String lowerKey() {
      return key.toLowerCase(Locale.ROOT);
    }
  }

  private final String serverPart;
  private final List<Entry> entries;

  private JdbcUrl(String serverPart, List<Entry> entries) {
    this.serverPart = serverPart;
    this.entries = List.copyOf(entries);
  }

  /**
   * Parses a URL that starts with {@code prefix} (case-insensitive).
   *
   * @throws IllegalArgumentException when the URL does not start with the prefix or a braced value
   *     is not closed
   */
  public static JdbcUrl parse(String url, String prefix) {
    Objects.requireNonNull(url, "url");
    if (!url.regionMatches(true, 0, prefix, 0, prefix.length())) {
      throw new IllegalArgumentException("not a " + prefix + " URL");
    }
    String rest = url.substring(prefix.length());
    int semi = rest.indexOf(';');
    String server = semi < 0 ? rest : rest.substring(0, semi);
    List<Entry> entries = new ArrayList<>();
    int i = semi < 0 ? rest.length() : semi + 1;
    while (i < rest.length()) {
      int eq = rest.indexOf('=', i);
      int nextSemi = rest.indexOf(';', i);
      if (eq < 0 || (nextSemi >= 0 && nextSemi < eq)) {
        // "key" without "=", or an empty segment: the driver ignores it; keep nothing.
        i = nextSemi < 0 ? rest.length() : nextSemi + 1;
        continue;
      }
      String key = rest.substring(i, eq).trim();
      int v = eq + 1;
      while (v < rest.length() && rest.charAt(v) == ' ') {
        v++;
      }
      String value;
      if (v < rest.length() && rest.charAt(v) == '{') {
        StringBuilder sb = new StringBuilder();
        int j = v + 1;
        boolean closed = false;
        while (j < rest.length()) {
          char c = rest.charAt(j);
          if (c == '}') {
            if (j + 1 < rest.length() && rest.charAt(j + 1) == '}') {
              sb.append('}');
              j += 2;
              continue;
            }
            closed = true;
            j++;
            break;
          }
          sb.append(c);
          j++;
        }
        if (!closed) {
          throw new IllegalArgumentException("the value of '" + key + "' opens a brace that is never closed");
        }
        value = sb.toString();
        int end = rest.indexOf(';', j);
        i = end < 0 ? rest.length() : end + 1;
      } else {
        int end = rest.indexOf(';', v);
        value = (end < 0 ? rest.substring(v) : rest.substring(v, end)).trim();
        i = end < 0 ? rest.length() : end + 1;
      }
      if (!key.isEmpty()) {
        entries.add(new Entry(key, value));
      }
    }
    return new JdbcUrl(server, entries);
  }

  /** What stands between {@code //} and the first {@code ;}: {@code host[\instance][:port]}. */
  public String serverPart() {
    return serverPart;
  }

  /** The host of {@link #serverPart()}, without instance and port; empty when the URL has none. */
  public String host() {
    String s = serverPart.trim();
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      return close > 0 ? s.substring(1, close) : s;
    }
    int cut = s.length();
    int backslash = s.indexOf('\\');
    if (backslash >= 0) {
      cut = Math.min(cut, backslash);
    }
    int colon = s.indexOf(':');
    if (colon >= 0) {
      cut = Math.min(cut, colon);
    }
    return s.substring(0, cut);
  }

  /** The entries in order. */
  public List<Entry> entries() {
    return entries;
  }

  /** The last value of {@code key} (case-insensitive), as the driver reads it. */
  public @Nullable String get(String key) {
    String found = null;
    for (Entry e : entries) {
      if (e.key().equalsIgnoreCase(key)) {
        found = e.value();
      }
    }
    return found;
  }

  /** Every value given for {@code key}, in order (case-insensitive). */
  public List<String> all(String key) {
    List<String> values = new ArrayList<>();
    for (Entry e : entries) {
      if (e.key().equalsIgnoreCase(key)) {
        values.add(e.value());
      }
    }
    return values;
  }

  /** A copy without the entries whose key is one of {@code keys} (case-insensitive). */
  public JdbcUrl without(List<String> keys) {
    List<Entry> kept = new ArrayList<>();
    for (Entry e : entries) {
      boolean drop = false;
      for (String k : keys) {
        drop |= e.key().equalsIgnoreCase(k);
      }
      if (!drop) {
        kept.add(e);
      }
    }
    return new JdbcUrl(serverPart, kept);
  }

  /** A copy with {@code key=value} appended. */
  public JdbcUrl with(String key, String value) {
    List<Entry> more = new ArrayList<>(entries);
    more.add(new Entry(key, value));
    return new JdbcUrl(serverPart, more);
  }

  /** The URL with {@code prefix}, values braced where they need it. */
  public String toUrl(String prefix) {
    StringBuilder sb = new StringBuilder(prefix).append(serverPart);
    for (Entry e : entries) {
      sb.append(';').append(e.key()).append('=');
      String v = e.value();
      if (v.indexOf(';') >= 0 || v.indexOf('{') >= 0 || v.indexOf('}') >= 0 || !v.equals(v.trim())) {
        sb.append('{').append(v.replace("}", "}}")).append('}');
      } else {
        sb.append(v);
      }
    }
    return sb.toString();
  }

  /** The server part only: the URL without its properties, safe to show (no password). */
  @Override
  public String toString() {
    return serverPart;
  }
}
