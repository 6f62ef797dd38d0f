package dev.moat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PinTest {
  private static final String VALID = "sha256/" + Base64.getEncoder().encodeToString(new byte[32]);

  @Test
  void parse_validPin_roundTrips() {
    Pin pin = Pin.parse(VALID);
    assertThat(pin.toString()).isEqualTo(VALID);
    assertThat(Pin.parse(pin.toString())).isEqualTo(pin).hasSameHashCodeAs(pin);
    assertThat(pin.digest()).hasSize(32);
  }

  @Test
  void parse_surroundingSpaceAndUrlSafeBase64_accepted() {
    byte[] digest = new byte[32];
    digest[0] = (byte) 0xfb; // '+' / '-' in the first character
    digest[1] = (byte) 0xff;
    String standard = "sha256/" + Base64.getEncoder().encodeToString(digest);
    String urlSafe = "sha256/" + Base64.getUrlEncoder().encodeToString(digest);
    assertThat(urlSafe).isNotEqualTo(standard);
    assertThat(Pin.parse("  " + urlSafe + "\n")).isEqualTo(Pin.parse(standard));
    assertThat(Pin.parse(urlSafe).toString()).isEqualTo(standard);
  }

  @Test
  void parse_wrongLength_refusedNamingInputAndLength() {
    String shortPin = "sha256/" + Base64.getEncoder().encodeToString(new byte[20]);
    assertThatThrownBy(() -> Pin.parse(shortPin))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pin '" + shortPin + "' decodes to 20 bytes; a SHA-256 pin is 32 bytes"
            + " (44 base64 characters ending in '=')");
    String longPin = "sha256/" + Base64.getEncoder().encodeToString(new byte[48]);
    assertThatThrownBy(() -> Pin.parse(longPin)).hasMessageContaining("decodes to 48 bytes");
    assertThatThrownBy(() -> Pin.parse("sha256/")).hasMessageContaining("decodes to 0 bytes");
  }

  @ParameterizedTest
  @ValueSource(strings = {"sha256/not base64!", "sha256/AAAA*AAA", "sha256/A", "sha256/=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"})
  void parse_badBase64_refusedNamingInput(String input) {
    assertThatThrownBy(() -> Pin.parse(input))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("pin '" + input + "' is not valid base64 after 'sha256/'");
  }

  @Test
  void parse_otherAlgorithm_refusedNamingAlgorithm() {
    String sha1 = "sha1/" + Base64.getEncoder().encodeToString(new byte[20]);
    assertThatThrownBy(() -> Pin.parse(sha1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pin '" + sha1 + "' is not a SHA-256 SPKI pin: algorithm 'sha1' is not supported, only sha256/");
    assertThatThrownBy(() -> Pin.parse("SHA256/" + VALID.substring(7)))
        .hasMessageContaining("algorithm 'SHA256' is not supported");
    assertThatThrownBy(() -> Pin.parse("pin-sha256=\"abc\""))
        .hasMessageContaining("it must start with 'sha256/'");
  }

  @Test
  void parse_hugeInput_messageBounded() {
    String huge = "sha512/" + "A".repeat(100_000);
    assertThatThrownBy(() -> Pin.parse(huge))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(600));
  }

  @Test
  void of_publicKey_isSha256OfSpki() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    PublicKey key = g.generateKeyPair().getPublic();
    byte[] expected = java.security.MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
    Pin pin = Pin.of(key);
    assertThat(pin.digest()).isEqualTo(expected);
    assertThat(pin.toString()).isEqualTo("sha256/" + Base64.getEncoder().encodeToString(expected));
    assertThat(Pin.parse(pin.toString())).isEqualTo(pin);
    assertThat(Pin.ofSpki(key.getEncoded())).isEqualTo(pin);
  }
}
