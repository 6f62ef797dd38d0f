package dev.moat.core.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The ICANN section of the Mozilla public suffix list, to refuse wildcard certificates on public
 * suffixes ({@code *.com}, {@code *.co.uk}).
 *
 * <p>The list is not written by hand: the build unpacks the maintained list shipped in Apache
 * HttpClient 5's jar into this package as {@code public_suffix_list.dat} (see core's pom.xml); it
 * is parsed on first use only. Only the ICANN DOMAINS section counts, as the CA/Browser Forum
 * Baseline Requirements (3.2.2.6) tell CAs: suffixes in the PRIVATE DOMAINS section (such as
 * {@code s3.amazonaws.com} or {@code github.io}) carry legitimate wildcard certificates. As in the
 * list's own algorithm, any single label ({@code *.internal}) counts as a public suffix.
 */
public final class PublicSuffixes {
  static final String RESOURCE = "public_suffix_list.dat";

  private PublicSuffixes() {}

  /**
   * Whether {@code domain} (lower case, A-labels, no trailing dot) is a public suffix under the
   * ICANN rules: listed, matched by a wildcard rule and not an exception, or a single label.
   *
   * @throws IllegalStateException when the list is missing from the class path (a packaging bug)
   */
  public static boolean isPublicSuffix(String domain) {
    String d = domain.toLowerCase(Locale.ROOT);
    if (d.endsWith(".")) {
      d = d.substring(0, d.length() - 1);
    }
    if (d.isEmpty() || d.indexOf('.') < 0) {
      return true;
    }
    Rules list = Holder.list();
    if (list.exceptions.contains(d)) {
      return false;
    }
    if (list.rules.contains(d)) {
      return true;
    }
    int dot = d.indexOf('.');
    return list.wildcards.contains(d.substring(dot + 1));
  }

  /** The list's {@code VERSION} line, for diagnostics. */
  public static String version() {
    return Holder.list().version;
  }

  /** How many ICANN rules were read. */
  static int size() {
    Rules list = Holder.list();
    return list.rules.size() + list.wildcards.size() + list.exceptions.size();
  }

  private static final class Holder {
    private static final @Nullable Rules LIST;
    private static final @Nullable String ERROR;

    static {
      Rules loaded = null;
      String error = null;
      try (InputStream in = PublicSuffixes.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          error = "resource dev/moat/core/internal/" + RESOURCE + " is missing from moat-core";
        } else {
          loaded = parse(in);
        }
      } catch (IOException | RuntimeException e) {
        error = "cannot read dev/moat/core/internal/" + RESOURCE + ": " + e;
      }
      LIST = loaded;
      ERROR = error;
    }

    static Rules list() {
      if (LIST == null) {
        throw new IllegalStateException("The public suffix list is unavailable: " + ERROR
            + ". Moat refuses wildcard certificates it cannot check; rebuild or repackage moat-core"
            + " with its resources.");
      }
      return LIST;
    }
  }

  static Rules parse(InputStream in) throws IOException {
    Rules list = new Rules();
    boolean icann = false;
    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    for (String line; (line = reader.readLine()) != null; ) {
      String l = line.strip();
      if (l.startsWith("//")) {
        if (l.contains("===BEGIN ICANN DOMAINS===")) {
          icann = true;
        } else if (l.contains("===END ICANN DOMAINS===")) {
          icann = false;
        } else if (l.startsWith("// VERSION:")) {
          list.version = l.substring("// VERSION:".length()).strip();
        }
        continue;
      }
      if (!icann || l.isEmpty()) {
        continue;
      }
      int space = l.indexOf(' ');
      String rule = space > 0 ? l.substring(0, space) : l;
      if (rule.startsWith("!")) {
        list.exceptions.add(ascii(rule.substring(1)));
      } else if (rule.startsWith("*.")) {
        list.wildcards.add(ascii(rule.substring(2)));
      } else {
        list.rules.add(ascii(rule));
      }
    }
    if (list.rules.size() < 1000) {
      throw new IOException("the list has only " + list.rules.size() + " ICANN rules; it looks truncated");
    }
    return list;
  }

  private static String ascii(String rule) {
    return IDN.toASCII(rule, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
  }

  /** The parsed ICANN rules. */
  static final class Rules {
    final Set<String> rules = new HashSet<>();
    /** Parents of wildcard rules: {@code *.ck} is stored as {@code ck}. */
    final Set<String> wildcards = new HashSet<>();
    final Set<String> exceptions = new HashSet<>();
    String version = "(unknown)";
  }
}
