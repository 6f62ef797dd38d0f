package dev.moat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.moat.testkit.Credentials;
import dev.moat.testkit.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client identity with the wrong password or a key that does not match fails at load, clearly. */
class ClientIdentityLoadTest {
  static final TestPki PKI = TestPki.create("localhost");

  @Test
  void fromPkcs12_wrongPassword_clearError(@TempDir Path dir) throws Exception {
    Credentials client = PKI.clientIdentity("alice");
    Path p12 = TestPki.writePkcs12(client, dir.resolve("alice.p12"), "right".toCharArray());
    assertThat(ClientIdentity.fromPkcs12(p12, "right".toCharArray()).chain()).isEqualTo(client.chain());
    assertThatThrownBy(() -> ClientIdentity.fromPkcs12(p12, "wrong".toCharArray()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(p12.toString())
        .satisfies(e -> assertThat(e.getMessage().toLowerCase(java.util.Locale.ROOT)).contains("password"));
  }

  @Test
  void fromPem_encryptedKeyWrongOrMissingPassword_clearError(@TempDir Path dir) throws Exception {
    Credentials client = PKI.clientIdentity("bob");
    Path chain = Files.writeString(dir.resolve("bob.crt"), TestPki.toPem(client.chain()));
    Path key = Files.writeString(dir.resolve("bob.key"), TestPki.toEncryptedPkcs8Pem(client.key(), "s3cret".toCharArray()));
    assertThat(ClientIdentity.fromPem(chain, key, "s3cret".toCharArray()).privateKey()).isNotNull();
    assertThatThrownBy(() -> ClientIdentity.fromPem(chain, key, "nope".toCharArray()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(key.toString());
    assertThatThrownBy(() -> ClientIdentity.fromPem(chain, key, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(key.toString());
  }

  @Test
  void mismatchedKey_clearErrorAtLoad(@TempDir Path dir) throws Exception {
    Credentials client = PKI.clientIdentity("carol");
    assertThatThrownBy(() -> ClientIdentity.of(PKI.leafKey(), client.chain()))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage().toLowerCase(java.util.Locale.ROOT)).contains("does not belong to the certificate"));
    Path chain = Files.writeString(dir.resolve("carol.crt"), TestPki.toPem(client.chain()));
    Path otherKey = Files.writeString(dir.resolve("other.key"), TestPki.toPkcs8Pem(PKI.leafKey()));
    assertThatThrownBy(() -> ClientIdentity.fromPem(chain, otherKey, null))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage().toLowerCase(java.util.Locale.ROOT)).contains("does not belong to the certificate"));
    assertThatThrownBy(() -> ClientIdentity.of(client.key(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
