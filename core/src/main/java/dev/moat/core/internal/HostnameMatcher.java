package dev.moat.core.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * RFC 9525 (formerly RFC 6125) host name matching against subjectAltName entries only. The subject
 * CN is never consulted. A wildcard is honoured only as the whole left-most label, matches exactly
 * one label, never matches an IP address, and never stands over a one-label parent ({@code *.com}).
 */
public final class HostnameMatcher {
  private HostnameMatcher() {}

  /**
   * @param normalizedHost a host from {@link HostNames#normalize}
   * @param dnsNames the leaf's SAN dNSName entries
   * @param ipAddresses the leaf's SAN iPAddress entries, as bytes
   */
  public static boolean matches(String normalizedHost, List<String> dnsNames, List<byte[]> ipAddresses) {
    byte[] ip = HostNames.ipLiteral(normalizedHost);
    if (ip != null) {
      for (byte[] candidate : ipAddresses) {
        if (Arrays.equals(ip, candidate)) {
          return true;
        }
      }
      return false;
    }
    for (String name : dnsNames) {
      if (matchesDns(normalizedHost, name)) {
        return true;
      }
    }
    return false;
  }

  /** Whether one SAN dNSName matches the host. */
  public static boolean matchesDns(String normalizedHost, String sanDnsName) {
    String pattern = sanDnsName.toLowerCase(Locale.ROOT);
    if (pattern.endsWith(".")) {
      pattern = pattern.substring(0, pattern.length() - 1);
    }
    if (pattern.isEmpty() || !isAscii(pattern)) {
      // SANs must carry A-labels; a U-label or an empty name matches nothing.
      return false;
    }
    if (!pattern.startsWith("*.")) {
      return pattern.indexOf('*') < 0 && pattern.equals(normalizedHost);
    }
    String parent = pattern.substring(2);
    if (parent.indexOf('*') >= 0 || parent.indexOf('.') < 0 || parent.startsWith(".")) {
      return false;
    }
    int dot = normalizedHost.indexOf('.');
    return dot > 0 && normalizedHost.substring(dot + 1).equals(parent);
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0x7e || s.charAt(i) < 0x21) {
        return false;
      }
    }
    return true;
  }
}
