package dev.moat.testkit;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The PEM files a native TLS server (redis-server, mosquitto, a broker) is configured with, as
 * written by {@link TestPki#writeServerFiles(Path)}.
 *
 * <pre>{@code
 * ServerFiles files = pki.writeServerFiles(tempDir);
 * command.add("--tls-cert-file"); command.add(files.certificateChain().toString());
 * }</pre>
 *
 * @param certificateChain {@code server.crt}: the leaf, then the intermediate
 * @param privateKey {@code server.key}: the leaf's key, unencrypted PKCS#8
 * @param caCertificate {@code ca.crt}: the root
 */
public record ServerFiles(Path certificateChain, Path privateKey, Path caCertificate) {
  /** Checks that no path is null. */
  public ServerFiles {
    Objects.requireNonNull(certificateChain, "certificateChain");
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(caCertificate, "caCertificate");
  }
}
