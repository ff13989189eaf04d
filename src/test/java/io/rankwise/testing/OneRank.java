package io.rankwise.testing;

import io.rankwise.comm.local.LocalWorld;
import io.rankwise.runtime.RankConfig;
import io.rankwise.runtime.Session;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs code as a separate one-rank program (its own session, on its own thread): the reference
 * that an N-rank result must match bit for bit, and a way to build collections in plain tests.
 */
public final class OneRank {
  private OneRank() {}

  /**
   * Runs {@code body} as a one-rank program and asserts that it fails with a message containing
   * every one of {@code parts}; returns the exception.
   */
  public static RuntimeException assertFails(Runnable body, String... parts) {
    RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> run(() -> {
      body.run();
      return null;
    }));
    for (String p : parts) {
      org.junit.jupiter.api.Assertions.assertTrue(e.getMessage() != null && e.getMessage().contains(p),
          "message '" + e.getMessage() + "' should contain '" + p + "'");
    }
    return e;
  }

  public static <T> T run(Supplier<T> body) {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t = new Thread(() -> {
      RankConfig config = new RankConfig(1, 0, Path.of(System.getProperty("java.io.tmpdir")), 0);
      try (Session s = new Session(new LocalWorld(1).communicator(0), config,
          new PrintStream(PrintStream.nullOutputStream()), System.err)) {
        result.set(body.get());
      } catch (Throwable e) {
        failure.set(e);
      }
    }, "one-rank-reference");
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (failure.get() instanceof RuntimeException re) {
      throw re;
    }
    if (failure.get() instanceof Error err) {
      throw err;
    }
    return result.get();
  }
}
