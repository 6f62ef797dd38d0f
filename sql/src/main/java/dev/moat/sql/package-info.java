/**
 * The Microsoft JDBC Driver for SQL Server, encrypted and validated, always: {@link
 * dev.moat.sql.SqlServerTls} builds a {@code SQLServerDataSource} whose TLS is decided by a {@link
 * dev.moat.core.TlsPolicy}, checks JDBC URLs and properties, and {@link
 * dev.moat.sql.MoatSqlServerDriver} serves {@code jdbc:moat:sqlserver://} URLs.
 *
 * <pre>{@code
 * SQLServerDataSource ds = SqlServerTls.dataSource(policy, "db.example.com", 1433, "orders");
 * }</pre>
 */
@NullMarked
package dev.moat.sql;

import org.jspecify.annotations.NullMarked;
