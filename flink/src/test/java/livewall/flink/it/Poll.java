package livewall.flink.it;

import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes; fails at once when a watched process dies. */
final class Poll {
  private Poll() {}

  static void until(String what, long timeoutMs, Callable<Boolean> condition, ChildProcess... watched)
      throws Exception {
    until(what, timeoutMs, condition, () -> "", watched);
  }

  /** As above; {@code detail} explains the last failed check in the timeout's message. */
  static void until(
      String what, long timeoutMs, Callable<Boolean> condition, Supplier<String> detail, ChildProcess... watched)
      throws Exception {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    long interval = 20;
    while (true) {
      try {
        if (condition.call()) return;
      } catch (Exception e) {
        // A server that died explains a failed call better than the call's own error.
        dead(what, watched);
        throw e;
      }
      dead(what, watched);
      if (System.nanoTime() > deadline) {
        String d = detail.get();
        throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what + (d.isEmpty() ? "" : "\n" + d));
      }
      Thread.sleep(interval);
      interval = Math.min(500, interval * 2);
    }
  }

  private static void dead(String what, ChildProcess[] watched) {
    for (ChildProcess p : watched) {
      if (!p.alive()) throw new AssertionError("while waiting for " + what + ", " + p.ended());
    }
  }

  /** A free TCP port on 127.0.0.1 (free when asked: the caller retries if it is taken before use). */
  static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
