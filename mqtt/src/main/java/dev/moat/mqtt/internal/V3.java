package dev.moat.mqtt.internal;

import dev.moat.core.TlsPolicy;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttClientPersistence;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.jspecify.annotations.Nullable;

/** The MQTT 3.1.1 (Paho {@code mqttv3}) side: options and checking client subclasses. */
public final class V3 {
  private V3() {}

  /** Options wired to the policy: its socket factory and HTTPS host-name verification on. */
  public static MqttConnectOptions options(TlsPolicy policy) {
    MqttConnectOptions options = new MqttConnectOptions();
    options.setSocketFactory(new MqttSocketFactory(policy));
    options.setHttpsHostnameVerificationEnabled(true);
    return options;
  }

  /** Runs {@link MqttChecks#check} on v3 options for a client of {@code serverUri}. */
  public static void check(
      TlsPolicy policy, MqttConnectOptions options, String serverUri, String clientId) {
    String[] uris = options.getServerURIs();
    List<String> list = uris == null || uris.length == 0 ? List.of(serverUri) : Arrays.asList(uris);
    MqttChecks.check(
        policy,
        new MqttChecks.Settings(
            "MqttConnectOptions",
            list,
            clientId,
            options.getSocketFactory(),
            options.isHttpsHostnameVerificationEnabled(),
            options.getSSLProperties() != null && !options.getSSLProperties().isEmpty(),
            options.getUserName() != null || options.getPassword() != null));
  }

  /**
   * An asynchronous client that checks its options on every connect, including Paho's automatic
   * reconnects, which go through {@link #connect(MqttConnectOptions, Object, IMqttActionListener)}.
   */
  public static final class CheckedAsyncClient extends MqttAsyncClient {
    private final TlsPolicy policy;

    public CheckedAsyncClient(
        TlsPolicy policy, String serverUri, String clientId, MqttClientPersistence persistence)
        throws MqttException {
      super(serverUri, clientId, persistence);
      this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** Connects with {@link V3#options(TlsPolicy)}, not Paho's unconfigured defaults. */
    @Override
    public IMqttToken connect(@Nullable Object userContext, @Nullable IMqttActionListener callback)
        throws MqttException {
      return connect(options(policy), userContext, callback);
    }

    @Override
    public IMqttToken connect(
        @Nullable MqttConnectOptions options,
        @Nullable Object userContext,
        @Nullable IMqttActionListener callback)
        throws MqttException {
      MqttConnectOptions effective = options == null ? options(policy) : options;
      check(policy, effective, getServerURI(), getClientId());
      return super.connect(effective, userContext, callback);
    }
  }

  /**
   * A blocking client whose delegate is a {@link CheckedAsyncClient}, so {@code connect}, {@code
   * reconnect} and automatic reconnects are all checked.
   */
  public static final class CheckedClient extends MqttClient {
    private final TlsPolicy policy;

    public CheckedClient(
        TlsPolicy policy, String serverUri, String clientId, MqttClientPersistence persistence)
        throws MqttException {
      // MqttClient builds its own asynchronous delegate; replace it with the checking one.
      super(serverUri, clientId, new MemoryPersistence());
      this.policy = Objects.requireNonNull(policy, "policy");
      MqttAsyncClient unchecked = aClient;
      aClient = new CheckedAsyncClient(policy, serverUri, clientId, persistence);
      unchecked.close();
    }

    /** Connects with {@link V3#options(TlsPolicy)}, not Paho's unconfigured defaults. */
    @Override
    public void connect() throws MqttException {
      connect(options(policy));
    }
  }
}
