/**
 * Moat for HTTP clients: OkHttp ({@link dev.moat.http.OkHttpTls}) and the JDK's {@code
 * java.net.http} ({@link dev.moat.http.HttpClientTls}) configured from a {@link
 * dev.moat.core.TlsPolicy}, so that they speak only verified TLS, refuse {@code http://} before
 * sending anything, never follow an https to http redirect, remember HSTS, and check payload
 * digests on the plaintext exemptions a policy names.
 */
@org.jspecify.annotations.NullMarked
package dev.moat.http;
