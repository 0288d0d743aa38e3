package livewall.flink.it;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A process a test started: its merged output kept (the last 64 KiB) so a failure can show it,
 * stopped by the test, and killed when the test JVM exits before that.
 */
final class ChildProcess implements AutoCloseable {
  private static final int KEEP = 64 * 1024;

  final String name;
  private final Process process;
  private final StringBuilder output = new StringBuilder();
  private final Thread hook;

  private ChildProcess(String name, Process process) {
    this.name = name;
    this.process = process;
    Thread drain = new Thread(() -> drain(process.getInputStream()), name + "-output");
    drain.setDaemon(true);
    drain.start();
    // A test JVM that ends early (a failure, Ctrl-C) must not leave servers behind.
    hook = new Thread(process::destroyForcibly, name + "-kill");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Starts a command with stdout and stderr merged; stdin stays a pipe the child can watch. */
  static ChildProcess start(String name, List<String> command, File dir) throws IOException {
    return start(name, command, dir, env -> {});
  }

  /** As above, with the inherited environment adjusted first. */
  static ChildProcess start(
      String name, List<String> command, File dir, java.util.function.Consumer<java.util.Map<String, String>> env)
      throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    if (dir != null) pb.directory(dir);
    env.accept(pb.environment());
    return new ChildProcess(name, pb.start());
  }

  private void drain(InputStream in) {
    byte[] buf = new byte[8192];
    try (in) {
      int n;
      while ((n = in.read(buf)) > 0) {
        String s = new String(buf, 0, n, StandardCharsets.UTF_8);
        synchronized (output) {
          output.append(s);
          if (output.length() > 2 * KEEP) output.delete(0, output.length() - KEEP);
        }
      }
    } catch (IOException e) {
      // The process is gone: nothing more to read.
    }
  }

  /** Recent output. */
  String output() {
    synchronized (output) {
      return output.length() > KEEP ? output.substring(output.length() - KEEP) : output.toString();
    }
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Why the process is no longer running, with its last output; for failure messages. */
  String ended() {
    String out = output();
    return name + " exited with " + process.exitValue() + ":\n" + out.substring(Math.max(0, out.length() - 4000));
  }

  /** SIGKILL, and wait until it is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, then SIGKILL after graceMs. */
  void stop(long graceMs) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(graceMs, TimeUnit.MILLISECONDS)) kill();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) stop(20_000);
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook runs anyway.
    }
  }
}
