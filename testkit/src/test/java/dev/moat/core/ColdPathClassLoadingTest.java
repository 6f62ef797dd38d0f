package dev.moat.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.testkit.Credentials;
import dev.moat.testkit.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: verifying an ordinary chain (leaf, intermediate, root; revocation off; no name
 * constraints, or only DNS and IP ones) loads no Bouncy Castle class, so a cold start does not pay for verifying the signed bcprov
 * jar. Runs {@link ColdPathMain} in a fresh JVM with {@code -Xlog:class+load} and reads the log.
 */
class ColdPathClassLoadingTest {

  @Test
  void ordinaryChainVerification_inFreshJvm_loadsNoBouncyCastleClass(@TempDir Path dir) throws Exception {
    TestPki pki = TestPki.create("localhost");
    verifyInChildJvm(dir, pki.rootPem(), pki.chainPem());
  }

  @Test
  void anchorWithOnlyDnsAndIpConstraints_inFreshJvm_loadsNoBouncyCastleClass(@TempDir Path dir) throws Exception {
    TestPki pki = TestPki.create("localhost");
    Credentials root = pki.caBuilder().subject("CN=Cold Constrained Root, O=Moat test").selfSigned()
        .extension(Extension.nameConstraints, true, new NameConstraints(new GeneralSubtree[] {
            new GeneralSubtree(new GeneralName(GeneralName.dNSName, "localhost")),
            new GeneralSubtree(new GeneralName(GeneralName.iPAddress, "127.0.0.0/8"))},
            new GeneralSubtree[] {new GeneralSubtree(new GeneralName(GeneralName.dNSName, "secret.localhost"))}))
        .build();
    Credentials intermediate = pki.caBuilder().issuer(root).build();
    Credentials leaf = pki.leafBuilder().issuer(intermediate).commonName("localhost").sans("DNS:localhost").build();
    verifyInChildJvm(dir, TestPki.toPem(List.of(root.certificate())), TestPki.toPem(leaf.chain()));
  }

  /** Runs {@link ColdPathMain} in a fresh JVM and checks its class-loading log. */
  private static void verifyInChildJvm(Path dir, String rootPem, String chainPem) throws Exception {
    Path root = Files.writeString(dir.resolve("root.pem"), rootPem);
    Path chain = Files.writeString(dir.resolve("chain.pem"), chainPem);
    Path log = dir.resolve("out.txt");
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xlog:class+load=info");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(ColdPathMain.class.getName());
    cmd.add(root.toString());
    cmd.add(chain.toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean done = p.waitFor(60, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(done).as("child JVM finished within 60 s").isTrue();
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(String.join("\n", tail(lines))).isZero();
    assertThat(lines).contains("VERIFIED");
    assertThat(lines).as("class loading log shows core ran").anyMatch(l -> l.contains("dev.moat.core.internal.PathChecks"));
    List<String> bc = lines.stream().filter(l -> l.contains("org.bouncycastle")).collect(Collectors.toList());
    assertThat(bc).as("Bouncy Castle classes loaded by an ordinary verification").isEmpty();
    assertThat(lines).noneMatch(l -> l.contains("dev.moat.testkit"));
  }

  private static List<String> tail(List<String> lines) {
    return lines.subList(Math.max(0, lines.size() - 40), lines.size());
  }
}
