package dev.moat.core.internal.revocation;

import dev.moat.core.Revocation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Bounded HTTP GET/POST for OCSP and CRLs: timeouts, size limit, http(s) only, no redirects. */
final class Fetcher {
  private Fetcher() {}

  static byte[] fetch(String url, @Nullable byte[] postBody, String contentType, Revocation settings)
      throws IOException {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IOException("not a valid URL: " + e.getMessage(), e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IOException("only http and https revocation URLs are fetched, not " + scheme);
    }
    URL u = uri.toURL();
    HttpURLConnection c = (HttpURLConnection) u.openConnection();
    try {
      c.setConnectTimeout((int) settings.connectTimeout().toMillis());
      c.setReadTimeout((int) settings.readTimeout().toMillis());
      c.setInstanceFollowRedirects(false);
      c.setUseCaches(false);
      if (postBody != null) {
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", contentType);
        c.setFixedLengthStreamingMode(postBody.length);
        try (OutputStream out = c.getOutputStream()) {
          out.write(postBody);
        }
      }
      int code = c.getResponseCode();
      if (code != 200) {
        throw new IOException("HTTP " + code);
      }
      long declared = c.getContentLengthLong();
      if (declared > settings.maxResponseBytes()) {
        throw new IOException("response of " + declared + " bytes exceeds the limit of "
            + settings.maxResponseBytes());
      }
      try (InputStream in = c.getInputStream()) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        long deadline = System.nanoTime() + settings.readTimeout().toNanos() * 2;
        int n;
        while ((n = in.read(chunk)) > 0) {
          buf.write(chunk, 0, n);
          if (buf.size() > settings.maxResponseBytes()) {
            throw new IOException("response exceeds the limit of " + settings.maxResponseBytes() + " bytes");
          }
          if (System.nanoTime() > deadline) {
            throw new IOException("response trickled in for longer than twice the read timeout");
          }
        }
        return buf.toByteArray();
      }
    } finally {
      c.disconnect();
    }
  }
}
