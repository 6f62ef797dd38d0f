package dev.moat.redis.internal;

import io.lettuce.core.RedisConnectionException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Removes credentials from Lettuce's own exception messages. Lettuce prints a {@code RedisURI} as
 * {@code rediss://alice:*****@host} (user name, and the password's length as asterisks), for
 * example in "Cannot retrieve cluster partitions from [...]"; Moat shows neither.
 */
final class Redaction {
  private static final Pattern USER_INFO =
      Pattern.compile("(rediss?(?:-sentinel|-socket)?://)(?!\\*\\*\\*@)[^@/\\s\\],]*@");

  private Redaction() {}

  /** Completes like {@code future}, but with its failure {@linkplain #redact(Throwable) redacted}. */
  static <T> CompletableFuture<T> redactFailure(CompletableFuture<T> future) {
    CompletableFuture<T> out = new CompletableFuture<>();
    future.whenComplete(
        (value, failure) -> {
          if (failure == null) {
            out.complete(value);
          } else {
            out.completeExceptionally(redact(failure));
          }
        });
    return out;
  }

  /** The throwable, or a copy of it and its causes with credentials in messages replaced by {@code ***@}. */
  static Throwable redact(Throwable t) {
    return redact(t, new IdentityHashMap<>(), 0);
  }

  private static Throwable redact(Throwable t, Map<Throwable, Throwable> seen, int depth) {
    Throwable done = seen.get(t);
    if (done != null) {
      return done;
    }
    if (depth > 32 || !needsRedaction(t, new IdentityHashMap<>(), 0)) {
      return t;
    }
    String message = t.getMessage();
    Throwable cause = t.getCause();
    Throwable copy;
    if (message != null && USER_INFO.matcher(message).find()) {
      copy =
          new RedisConnectionException(
              USER_INFO.matcher(message).replaceAll("$1***@"),
              cause == null || cause == t ? null : redact(cause, seen, depth + 1));
      copy.setStackTrace(t.getStackTrace());
      seen.put(t, copy);
      for (Throwable s : t.getSuppressed()) {
        copy.addSuppressed(redact(s, seen, depth + 1));
      }
      return copy;
    }
    // The message is clean but a cause or suppressed one is not: keep this one, clean those.
    seen.put(t, t);
    if (cause != null && cause != t) {
      Throwable cleaned = redact(cause, seen, depth + 1);
      if (cleaned != cause) {
        RedisConnectionException wrapper = new RedisConnectionException(message, cleaned);
        wrapper.setStackTrace(t.getStackTrace());
        for (Throwable s : t.getSuppressed()) {
          wrapper.addSuppressed(redact(s, seen, depth + 1));
        }
        seen.put(t, wrapper);
        return wrapper;
      }
    }
    return t;
  }

  private static boolean needsRedaction(
      @Nullable Throwable t, Map<Throwable, Boolean> seen, int depth) {
    if (t == null || depth > 32 || seen.put(t, Boolean.TRUE) != null) {
      return false;
    }
    String message = t.getMessage();
    if (message != null && USER_INFO.matcher(message).find()) {
      return true;
    }
    for (Throwable s : t.getSuppressed()) {
      if (needsRedaction(s, seen, depth + 1)) {
        return true;
      }
    }
    return needsRedaction(t.getCause(), seen, depth + 1);
  }
}
