package dev.moat.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first example, kept compiling and true. */
class ReadmeExampleTest {
  @TempDir Path dir;

  @Test
  void readmeExample_policyAndSslContext_buildAndCarryTheStrictSettings() throws Exception {
    // Any real CA certificate stands in for internal-ca.pem: one of the platform's roots.
    X509Certificate someRoot = TlsPolicy.strict().trustManager().getAcceptedIssuers()[0];
    Path pem = dir.resolve("internal-ca.pem");
    Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(someRoot.getEncoded())
        + "\n-----END CERTIFICATE-----\n");

    // --- as in README.md ---
    TlsPolicy policy = TlsPolicy.builder()
        .trustRoots(Pem.readCertificates(pem))
        .pin("payments.example.com", "sha256/k3Jd0cXqAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            "sha256/BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBA=")
        .build();
    SSLContext context = policy.sslContext();
    SSLSocketFactory sockets = policy.sslSocketFactory();
    // ---

    assertThat(policy.trustsSystemRoots()).isFalse();
    assertThat(policy.roots()).containsExactly(someRoot);
    assertThat(context.getProtocol()).isEqualTo("TLS");
    try (SSLSocket socket = (SSLSocket) sockets.createSocket()) {
      assertThat(socket.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
      assertThat(socket.getEnabledCipherSuites()).allMatch(s -> s.contains("GCM") || s.contains("CHACHA20"));
      assertThat(socket.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
    }
  }

  @Test
  void insecureAllowPlaintextTo_namedHost_isTheOnlyExemptionAndIsListed() {
    TlsPolicy dev = TlsPolicy.builder()
        .insecureAllowPlaintextTo("localhost", "local development broker without TLS")
        .build();

    assertThat(dev.allowsPlaintextTo("localhost")).isTrue();
    assertThat(dev.allowsPlaintextTo("LOCALHOST.")).isTrue();
    assertThat(dev.allowsPlaintextTo("db.example.com")).isFalse();
    assertThat(dev.toString()).contains("INSECURE plaintext to [localhost]");
    assertThatThrownBy(() -> dev.requireTls("redis", "redis://db.example.com:6379", "db.example.com"))
        .isInstanceOf(PlaintextRefusedException.class)
        .hasMessageContaining("redis://db.example.com:6379")
        .hasMessageContaining("[check: PLAINTEXT]")
        .hasMessageContaining("insecureAllowPlaintextTo(\"db.example.com\"");
  }

  @Test
  void pin_singlePinWithoutBackup_refusedAtBuildUnlessAcceptedByName() {
    String only = "sha256/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    assertThatThrownBy(() -> TlsPolicy.builder().pin("api.example.com", only).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("single pin and no backup")
        .hasMessageContaining("riskyPinWithoutBackup(\"api.example.com\", pin)");

    TlsPolicy accepted = TlsPolicy.builder().riskyPinWithoutBackup("api.example.com", only).build();
    assertThat(accepted.rulesFor("api.example.com")).hasSize(1);
  }
}
