package dev.moat.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The DNS and IP name-constraint semantics, and the syntax rules for SANs and constraints. */
class NameConstraintRulesTest {

  /** name | permitted (space separated, '-' for none, '\"\"' for the empty name) | excluded | violates. */
  @ParameterizedTest(name = "{0} permitted [{1}] excluded [{2}] -> {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a.example.com | example.com | - | false",
        "example.com | example.com | - | false",
        "badexample.com | example.com | - | true",
        "example.org | example.com | - | true",
        "a.example.com | .example.com | - | false",
        "example.com | .example.com | - | true",
        "anything.test | EMPTY | - | false",
        "secret.example.com | - | secret.example.com | true",
        "a.secret.example.com | - | secret.example.com | true",
        "public.example.com | - | secret.example.com | false",
        "x.example.com | - | EMPTY | true",
        // wildcards stand for every name they match (one label)
        "*.example.com | example.com | - | false",
        "*.example.com | .example.com | - | false",
        "*.example.com | a.example.com | - | true",
        "*.a.example.com | example.com | - | false",
        "*.example.com | - | secret.example.com | true",
        "*.example.com | - | a.secret.example.com | false",
        "*.example.com | - | .secret.example.com | false",
        "*.example.com | - | example.com | true",
        "*.example.com | - | .example.com | true",
        "*.sub.example.com | - | example.com | true",
        "*.example.com | - | other.org | false",
      })
  void dnsViolation_table(String name, String permitted, String excluded, boolean violates) {
    NameConstraintChecks.Constraints nc = new NameConstraintChecks.Constraints(
        names(permitted), names(excluded), List.of(), List.of(), false);
    assertThat(NameConstraintChecks.dnsViolation(nc, name.trim())).as(name).matches(
        r -> (r != null) == violates, violates ? "a violation" : "no violation");
  }

  @ParameterizedTest(name = "{0} permitted [{1}] excluded [{2}] -> {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        "10.1.2.3 | 10.0.0.0/255.0.0.0 | - | false",
        "11.1.2.3 | 10.0.0.0/255.0.0.0 | - | true",
        "10.1.2.3 | - | 10.1.0.0/255.255.0.0 | true",
        "10.2.2.3 | - | 10.1.0.0/255.255.0.0 | false",
        "2001:db8::1 | 10.0.0.0/255.0.0.0 | - | true",
        "2001:db8::1 | 2001:db8::/ffff:ffff:: | - | false",
        "2001:db9::1 | 2001:db8::/ffff:ffff:: | - | true",
        "10.1.2.3 | - | 0.0.0.0/0.0.0.0 | true",
      })
  void ipViolation_table(String ip, String permitted, String excluded, boolean violates) {
    NameConstraintChecks.Constraints nc = new NameConstraintChecks.Constraints(
        List.of(), List.of(), ranges(permitted), ranges(excluded), false);
    assertThat(NameConstraintChecks.ipViolation(nc, HostNames.ipLiteral(ip.trim())) != null).isEqualTo(violates);
  }

  @ParameterizedTest(name = "[{0}] -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "example.com | OK",
        ".example.com | OK",
        "EMPTY | OK",
        "*.example.com | wildcard",
        "ex*ample.com | wildcard",
        "under_score.example.com | underscore",
        "..example.com | empty label",
        "a..example.com | empty label",
        "-a.example.com | hyphen",
        "bücher.example | not ASCII",
        "exa mple.com | character",
      })
  void dnsConstraintProblem_table(String constraint, String expected) {
    String c = constraint.trim().equals("EMPTY") ? "" : constraint.trim();
    String problem = NameConstraintChecks.dnsConstraintProblem(c);
    if (expected.equals("OK")) {
      assertThat(problem).isNull();
    } else {
      assertThat(problem).contains(expected);
    }
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "0a000000ff000000 | OK",
        "0a000000ffffff00 | OK",
        "0000000000000000 | OK",
        "0a000000ff00ff00 | not a prefix",
        "0a000000 | 4 octets",
        "0a000000ff00000000 | 9 octets",
        "20010db8000000000000000000000000ffffffff000000000000000000000000 | OK",
        "20010db8000000000000000000000000ffffffff000000000000000000000001 | not a prefix",
        "20010db800000000000000000000000000ffffffff | 21 octets",
      })
  void ipConstraintProblem_table(String hex, String expected) {
    String problem = NameConstraintChecks.ipConstraintProblem(java.util.HexFormat.of().parseHex(hex.trim()));
    if (expected.equals("OK")) {
      assertThat(problem).isNull();
    } else {
      assertThat(problem).contains(expected);
    }
  }

  @ParameterizedTest(name = "[{0}] -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "www.example.com | OK",
        "*.example.com | OK",
        "xn--bcher-kva.example | OK",
        "a-b.example.com | OK",
        "localhost | OK",
        "*.*.example.com | wildcard",
        "f*.example.com | wildcard",
        "*example.com | wildcard",
        "www.*.example.com | wildcard",
        "my_host.example.com | underscore",
        "_acme.example.com | underscore",
        ".example.com | empty label",
        "a..example.com | empty label",
        "*. | empty label",
        "EMPTY | is empty",
        "bücher.example | not ASCII",
        "-www.example.com | hyphen",
        "www-.example.com | hyphen",
        "www.exam ple.com | character",
        "www.example.com/path | character",
      })
  void sanDnsProblem_table(String name, String expected) {
    String n = name.trim().equals("EMPTY") ? "" : name.trim();
    String problem = SanSyntax.dnsProblem(n, true);
    if (expected.equals("OK")) {
      assertThat(problem).isNull();
    } else {
      assertThat(problem).contains(expected);
    }
  }

  private static List<String> names(String list) {
    String l = list.trim();
    if (l.equals("-")) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String n : l.split(" +")) {
      out.add(n.equals("EMPTY") ? "" : n);
    }
    return out;
  }

  private static List<byte[]> ranges(String list) {
    String l = list.trim();
    if (l.equals("-")) {
      return List.of();
    }
    List<byte[]> out = new ArrayList<>();
    for (String r : l.split(" +")) {
      String[] parts = r.split("/");
      byte[] a = HostNames.ipLiteral(parts[0]);
      byte[] m = HostNames.ipLiteral(parts[1]);
      byte[] both = Arrays.copyOf(a, a.length * 2);
      System.arraycopy(m, 0, both, a.length, m.length);
      out.add(both);
    }
    return out;
  }
}
