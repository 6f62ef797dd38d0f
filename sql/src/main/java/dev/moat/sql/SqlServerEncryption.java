package dev.moat.sql;

import java.util.Locale;

/**
 * How the driver encrypts: both modes validate the server certificate through the policy. Choose
 * {@link #STRICT} for servers that speak TDS 8 (SQL Server 2022 and later, Azure SQL): TLS starts
 * before any TDS byte, so even the pre-login exchange is protected. {@link #MANDATORY} is TDS 7.x:
 * a short clear pre-login exchange, then TLS carried inside PRELOGIN packets, for older servers.
 *
 * <pre>{@code
 * SqlServerTls.dataSource(policy, "db.example.com", 1433, "orders", SqlServerEncryption.STRICT);
 * }</pre>
 */
public enum SqlServerEncryption {
  /** {@code encrypt=true}: TDS 7.x, TLS negotiated in PRELOGIN; refused if the server cannot encrypt. */
  MANDATORY("true"),
  /** {@code encrypt=strict}: TDS 8, TLS first (ALPN {@code tds/8.0}). */
  STRICT("strict");

  private final String driverValue;

  SqlServerEncryption(String driverValue) {
    this.driverValue = driverValue;
  }

  /** The value of the driver's {@code encrypt} property. */
  public String driverValue() {
    return driverValue;
  }

  /** The mode an accepted {@code encrypt} value asks for; MANDATORY for {@code true/yes/mandatory}. */
  static SqlServerEncryption fromDriverValue(String value) {
    return value.trim().toLowerCase(Locale.ROOT).equals("strict") ? STRICT : MANDATORY;
  }
}
