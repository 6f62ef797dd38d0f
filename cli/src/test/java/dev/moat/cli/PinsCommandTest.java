package dev.moat.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.core.Pin;
import dev.moat.testkit.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PinsCommandTest {
  @TempDir Path dir;
  final TestPki pki = TestPki.shared();

  @Test
  void pins_pemChainDerCertificateAndPublicKey_printsEveryPin() throws Exception {
    Path chain = Files.writeString(dir.resolve("chain.pem"), pki.chainPem(), StandardCharsets.US_ASCII);
    Path der = Files.write(dir.resolve("root.der"), pki.root().getEncoded());
    String spkiPem = "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pki.leaf().getPublicKey().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
    Path key = Files.writeString(dir.resolve("leaf.pub"), spkiPem, StandardCharsets.US_ASCII);
    Path keyAndCert = Files.writeString(dir.resolve("server.pem"), pki.leafKeyPem() + pki.rootPem(),
        StandardCharsets.US_ASCII);

    CliRun run = CliRun.of("pins", chain.toString(), der.toString(), key.toString(), keyAndCert.toString());

    assertThat(run.exit()).as(run.toString()).isZero();
    assertThat(run.out().lines()).hasSize(5);
    assertThat(run.out())
        .contains(Pin.of(pki.leaf()) + "  certificate CN=localhost  " + chain + "#1")
        .contains(Pin.of(pki.intermediate()) + "  certificate ")
        .contains(Pin.of(pki.root()) + "  certificate ")
        .contains(Pin.of(pki.leaf()) + "  public key (EC)  " + key + "#1")
        .contains(keyAndCert + "#2")
        .doesNotContain("PRIVATE");
  }

  @Test
  void pins_garbageAndMissingFiles_exitTwoNamingEachFile() throws Exception {
    Path garbage = Files.writeString(dir.resolve("garbage.txt"), "hello, I am not a certificate");
    Path truncated = Files.writeString(dir.resolve("truncated.pem"),
        pki.rootPem().substring(0, pki.rootPem().length() / 2), StandardCharsets.US_ASCII);
    Path good = Files.writeString(dir.resolve("root.pem"), pki.rootPem(), StandardCharsets.US_ASCII);

    CliRun run = CliRun.of("pins", garbage.toString(), good.toString(), truncated.toString(),
        dir.resolve("missing.pem").toString());

    assertThat(run.exit()).as(run.toString()).isEqualTo(2);
    assertThat(run.out().lines()).containsExactly(Pin.of(pki.root()) + "  certificate "
        + pki.root().getSubjectX500Principal().getName() + "  " + good + "#1");
    assertThat(run.err()).contains(garbage + ": neither PEM nor a DER certificate or public key")
        .contains(truncated + "#1: PEM block 1 (CERTIFICATE) has no END line")
        .contains("missing.pem: no such file")
        .doesNotContain("\tat ");
    assertThat(List.of(run.err().split("\n"))).first().asString().startsWith("moat pins: ");
  }

  @Test
  void pins_noArguments_isAUsageError() {
    CliRun run = CliRun.of("pins");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("Missing required parameter");
  }
}
