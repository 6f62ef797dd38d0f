package dev.moat.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PublicSuffixesTest {

  @Test
  void list_shippedInCore_loadsIcannSectionWithVersion() {
    assertThat(PublicSuffixes.class.getResource(PublicSuffixes.RESOURCE))
        .as("the build must unpack the public suffix list into core's classes")
        .isNotNull();
    assertThat(PublicSuffixes.size()).isGreaterThan(5000);
    assertThat(PublicSuffixes.version()).matches("\\d{4}-\\d{2}-\\d{2}.*");
    System.out.println("public suffix list version " + PublicSuffixes.version());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    // ICANN suffixes, plain, second level, wildcard rules and their exceptions
    "com, true",
    "co.uk, true",
    "uk, true",
    "COM., true",
    "com.au, true",
    "xn--p1ai, true", // .рф as an A-label
    "foo.ck, true", // *.ck
    "www.ck, false", // !www.ck
    "kawasaki.jp, false", // *.kawasaki.jp ...
    "foo.kawasaki.jp, true",
    "city.kawasaki.jp, false", // ... !city.kawasaki.jp
    // any single label counts, listed or not
    "internal, true",
    "localhost, true",
    // registrable domains
    "example.com, false",
    "example.co.uk, false",
    "google.com, false",
    // PRIVATE section suffixes do not count (BR 3.2.2.6: ICANN section only)
    "github.io, false",
    "s3.amazonaws.com, false",
    "blob.core.windows.net, false",
  })
  void isPublicSuffix_table(String domain, boolean expected) {
    assertThat(PublicSuffixes.isPublicSuffix(domain)).isEqualTo(expected);
  }

  @Test
  void parse_truncatedList_refused() {
    String text = "// ===BEGIN ICANN DOMAINS===\ncom\nuk\n// ===END ICANN DOMAINS===\n";
    assertThatThrownBy(() -> PublicSuffixes.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("looks truncated");
  }
}
