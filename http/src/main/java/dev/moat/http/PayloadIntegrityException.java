package dev.moat.http;

import java.net.ProtocolException;

/**
 * A response received in plaintext (from a host the policy exempts from TLS) whose body does not
 * match the digest the server sent ({@code Content-MD5}, {@code x-ms-blob-content-md5}, {@code
 * Content-Digest}, {@code Repr-Digest}), or that carries no usable digest although {@link
 * HttpOptions.Builder#requireIntegrityFor(String)} requires one for that host.
 *
 * <p>A mismatch is thrown from the read that reaches the end of the body, so the caller never sees
 * a complete, altered body without an error. A missing digest is thrown when the response arrives.
 * It extends {@link ProtocolException} so that OkHttp does not silently repeat the request.
 */
public class PayloadIntegrityException extends ProtocolException {
  private static final long serialVersionUID = 1L;

  public PayloadIntegrityException(String message) {
    super(message);
  }
}
