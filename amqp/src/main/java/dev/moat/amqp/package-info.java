/**
 * AMQP 1.0 through Qpid Proton-J over verified TLS: {@link dev.moat.amqp.ProtonTls} configures a
 * Proton-J {@link org.apache.qpid.proton.engine.Transport} (SASL layered under TLS, the policy's
 * trust manager, the peer's host name checked) and opens a small blocking {@link
 * dev.moat.amqp.AmqpClient}.
 *
 * <pre>{@code
 * TlsPolicy policy = TlsPolicy.builder().trustRoot(brokerCa).build();
 * try (AmqpClient client = ProtonTls.connect(policy, "amqps://broker.example.com:5671",
 *     AmqpSasl.plain("device-17", password))) {
 *   client.send("telemetry", "hello");
 * }
 * }</pre>
 */
@NullMarked
package dev.moat.amqp;

import org.jspecify.annotations.NullMarked;
