/**
 * Eclipse Paho MQTT clients (MQTT 3.1.1 and 5) that speak only verified TLS: {@link
 * dev.moat.mqtt.PahoTls} builds Paho's own client and options types from a {@link
 * dev.moat.core.TlsPolicy}.
 *
 * <pre>{@code
 * MqttClient client = PahoTls.client(policy, "ssl://broker.example.com:8883", "sensor-17");
 * client.connect(PahoTls.connectOptions(policy));
 * }</pre>
 */
@NullMarked
package dev.moat.mqtt;

import org.jspecify.annotations.NullMarked;
