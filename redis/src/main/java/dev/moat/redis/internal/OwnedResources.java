package dev.moat.redis.internal;

import io.lettuce.core.resource.ClientResources;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Client resources a Moat client created itself, and so shuts down with the client. */
final class OwnedResources {
  private OwnedResources() {}

  /** Once {@code clientClosed} completes, shuts down {@code resources}; completes when they are down. */
  static CompletableFuture<Void> shutdownAfter(
      CompletableFuture<Void> clientClosed,
      ClientResources resources,
      long quietPeriod,
      long timeout,
      TimeUnit timeUnit) {
    return clientClosed.thenCompose(
        ignored -> {
          CompletableFuture<Void> done = new CompletableFuture<>();
          resources
              .shutdown(quietPeriod, timeout, timeUnit)
              .addListener(
                  f -> {
                    if (f.isSuccess()) {
                      done.complete(null);
                    } else {
                      done.completeExceptionally(f.cause());
                    }
                  });
          return done;
        });
  }
}
