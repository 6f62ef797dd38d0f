/**
 * Moat's trust decision: one immutable {@link dev.moat.core.TlsPolicy} says what a trustworthy
 * peer is, and hands that decision to any JSSE client as an {@link javax.net.ssl.SSLContext}, an
 * {@link javax.net.ssl.SSLSocketFactory}, {@link javax.net.ssl.SSLParameters} or the strict trust
 * manager itself.
 *
 * <pre>{@code
 * TlsPolicy policy = TlsPolicy.builder()
 *     .pin("payments.example.com", "sha256/k3Jd0cXq...=", "sha256/backupKeyPin...=")
 *     .build();
 * SSLContext context = policy.sslContext();
 * }</pre>
 */
@NullMarked
package dev.moat.core;

import org.jspecify.annotations.NullMarked;
