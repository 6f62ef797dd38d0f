package dev.moat.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.moat.testkit.TestPki;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10: verifying an ordinary chain (leaf, intermediate, root; no name constraints; revocation
 * off) loads no Bouncy Castle class, so a cold start does not pay for verifying the signed bcprov
 * jar. Runs {@link ColdPathMain} in a fresh JVM with {@code -Xlog:class+load} and reads the log.
 */
class ColdPathClassLoadingTest {

  @Test
  void ordinaryChainVerification_inFreshJvm_loadsNoBouncyCastleClass(@TempDir Path dir) throws Exception {
    TestPki pki = TestPki.create("localhost");
    Path root = Files.writeString(dir.resolve("root.pem"), pki.rootPem());
    Path chain = Files.writeString(dir.resolve("chain.pem"), pki.chainPem());
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
    assertThat(p.exitValue()).as(String.join(File.separator.equals("/") ? "\n" : "\r\n", tail(lines))).isZero();
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
