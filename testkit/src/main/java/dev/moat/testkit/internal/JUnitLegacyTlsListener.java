package dev.moat.testkit.internal;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * TEST-ONLY: runs {@link LegacyTls#enable()} when the JUnit Platform launcher opens its session,
 * before any test class is loaded, so that the TLS 1.0/1.1 scenarios work whatever test class of a
 * module happens to create the JVM's first {@code SSLContext}. Registered in {@code
 * META-INF/services}; inert where JUnit is not running.
 */
public final class JUnitLegacyTlsListener implements LauncherSessionListener {
  @Override
  public void launcherSessionOpened(LauncherSession session) {
    LegacyTls.enable();
  }
}
