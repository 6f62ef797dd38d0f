package dev.moat.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9525 host-name matching: the table of what a SAN entry matches, through HostNames.normalize. */
class HostnameMatcherTest {

  /**
   * host as the user typed it | SAN entries (DNS:x / IP:x, space separated) | matches. The host goes
   * through {@link HostNames#normalize} first, as the trust manager does.
   */
  @ParameterizedTest(name = "{0} vs [{1}] -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // exact names and case
        "example.com | DNS:example.com | true",
        "EXAMPLE.com | DNS:example.com | true",
        "example.com | DNS:Example.COM | true",
        "www.example.com | DNS:example.com | false",
        "example.com | DNS:www.example.com | false",
        "example.org | DNS:example.com | false",
        // trailing dots, on either side
        "example.com. | DNS:example.com | true",
        "example.com | DNS:example.com. | true",
        "example.com. | DNS:example.com. | true",
        // wildcards: whole left-most label only, exactly one label
        "www.example.com | DNS:*.example.com | true",
        "WWW.Example.Com | DNS:*.example.com | true",
        "example.com | DNS:*.example.com | false",
        "a.b.example.com | DNS:*.example.com | false",
        "www.example.com | DNS:w*.example.com | false",
        "www.example.com | DNS:*w.example.com | false",
        "www.example.com | DNS:ww*w.example.com | false",
        "a.b.example.com | DNS:a.*.example.com | false",
        "a.b.example.com | DNS:*.*.example.com | false",
        "www.example.com | DNS:* | false",
        "example.com | DNS:*.com | false",
        "localhost | DNS:*.localhost | false",
        "www.example.com. | DNS:*.example.com | true",
        "www.example.com | DNS:*.example.com. | true",
        // one entry among many
        "b.example.com | DNS:a.example.com DNS:b.example.com IP:10.0.0.1 | true",
        // IDN: hosts given as U-labels are compared as A-labels; SANs must be A-labels
        "bücher.example | DNS:xn--bcher-kva.example | true",
        "BÜCHER.example | DNS:xn--bcher-kva.example | true",
        "xn--bcher-kva.example | DNS:xn--bcher-kva.example | true",
        "bücher.example | DNS:bücher.example | false",
        "www.bücher.example | DNS:*.xn--bcher-kva.example | true",
        "buecher.example | DNS:xn--bcher-kva.example | false",
        // IPv4: only IP entries, never DNS entries, never wildcards
        "127.0.0.1 | IP:127.0.0.1 | true",
        "127.0.0.1 | DNS:127.0.0.1 | false",
        "127.0.0.2 | IP:127.0.0.1 | false",
        "127.0.0.1 | DNS:*.0.0.1 | false",
        "10.1.2.3 | DNS:*.1.2.3 IP:10.1.2.4 | false",
        // IPv6, in any spelling, with or without brackets
        "::1 | IP:::1 | true",
        "[::1] | IP:::1 | true",
        "0:0:0:0:0:0:0:1 | IP:::1 | true",
        "2001:db8::1 | IP:2001:0db8:0:0:0:0:0:1 | true",
        "2001:DB8::1 | IP:2001:db8::1 | true",
        "2001:db8::2 | IP:2001:db8::1 | false",
        "::1 | IP:127.0.0.1 | false",
        "::1 | DNS:::1 | false",
        // an IPv4 SAN never matches a name and vice versa
        "localhost | IP:127.0.0.1 | false",
      })
  void matches_table(String host, String sans, boolean expected) {
    List<String> dns = new ArrayList<>();
    List<byte[]> ips = new ArrayList<>();
    for (String san : sans.trim().split(" +")) {
      if (san.startsWith("DNS:")) {
        dns.add(san.substring(4));
      } else {
        byte[] ip = HostNames.ipLiteral(san.substring(3));
        assertThat(ip).as("test table IP %s", san).isNotNull();
        ips.add(ip);
      }
    }
    assertThat(HostnameMatcher.matches(HostNames.normalize(host.trim()), dns, ips))
        .as("%s against %s", host, sans)
        .isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Example.COM | example.com",
        "example.com. | example.com",
        "  example.com  | example.com",
        "bücher.example | xn--bcher-kva.example",
        "[::1] | 0:0:0:0:0:0:0:1",
        "0:0:0:0:0:0:0:1 | 0:0:0:0:0:0:0:1",
        "127.000.0.1 | 127.0.0.1",
      })
  void normalize_variants_canonicalForm(String host, String expected) {
    assertThat(HostNames.normalize(host)).isEqualTo(expected.trim());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"256.1.1.1", "1.2.3", "1.2.3.4.5", "example.com", "::g", "1..2.3"})
  void ipLiteral_notALiteral_null(String text) {
    assertThat(HostNames.ipLiteral(text)).isNull();
  }

  @org.junit.jupiter.api.Test
  void normalize_emptyOrBadIdn_refusedWithReason() {
    assertThatThrownBy(() -> HostNames.normalize(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
    assertThatThrownBy(() -> HostNames.normalize("a\u00e9b..com"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a valid internationalized name");
  }
}
