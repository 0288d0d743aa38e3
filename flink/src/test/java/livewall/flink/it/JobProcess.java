package livewall.flink.it;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * livewall.flink.LivewallJob in a child JVM, started as `livewall flink` starts it (the same JVM
 * flags and job flags), so the test can SIGKILL it for real. With --stop-on-stdin the child also
 * ends when the test JVM does (its stdin closes).
 */
final class JobProcess {
  private static final Pattern CHK = Pattern.compile("chk-(\\d+)");

  private JobProcess() {}

  /** The test's class path: surefire's real one (java.class.path may be a manifest-only jar). */
  static String classPath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp != null && !cp.isEmpty() ? cp : System.getProperty("java.class.path");
  }

  static ChildProcess start(Path flinkDir, List<String> jobArgs, String name) throws IOException {
    return start(flinkDir, jobArgs, name, null);
  }

  /** As above, the job's machine in {@code zone} (TZ and the JVM's default zone) when not null. */
  static ChildProcess start(Path flinkDir, List<String> jobArgs, String name, String zone) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    if (zone != null) cmd.add("-Duser.timezone=" + zone);
    cmd.add("@" + flinkDir.resolve("conf").resolve("java-opens.args"));
    cmd.add("-Xmx2g");
    // kinesalite answers JSON, not CBOR.
    cmd.add("-Daws.cborEnabled=false");
    cmd.add("-Dlog4j.configurationFile=" + flinkDir.resolve("conf").resolve("log4j2-local.properties"));
    cmd.add("-cp");
    cmd.add(classPath());
    cmd.add("livewall.flink.LivewallJob");
    cmd.addAll(jobArgs);
    cmd.add("--stop-on-stdin");
    // Nothing of the developer's own settings: no password for the customers' account (root has
    // none), no AWS profile or keys (kinesalite takes the job's fixed local ones).
    return ChildProcess.start(
        name,
        cmd,
        flinkDir.toFile(),
        env -> {
          env.remove("LIVEWALL_MYSQL_PASSWORD");
          env.remove("MYSQL_PWD");
          env.keySet().removeIf(k -> k.startsWith("AWS_"));
          if (zone != null) env.put("TZ", zone);
        });
  }

  /** Completed checkpoints (chk-N with a _metadata) under stateDir/checkpoints/<job>/, by N. */
  static List<Path> completedCheckpoints(Path stateDir) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path chk : checkpointDirs(stateDir)) {
      if (Files.isRegularFile(chk.resolve("_metadata"))) out.add(chk);
    }
    return out;
  }

  /**
   * The highest N of any chk-N directory, finished or not (-1 for none). Flink creates the
   * directory when it triggers the checkpoint, so chk-M with M > this was triggered after now.
   */
  static long highestCheckpointNumber(Path stateDir) throws IOException {
    long n = -1;
    for (Path chk : checkpointDirs(stateDir)) n = Math.max(n, number(chk));
    return n;
  }

  static long number(Path chk) {
    Matcher m = CHK.matcher(chk.getFileName().toString());
    return m.matches() ? Long.parseLong(m.group(1)) : -1;
  }

  private static List<Path> checkpointDirs(Path stateDir) throws IOException {
    List<Path> out = new ArrayList<>();
    Path root = stateDir.resolve("checkpoints");
    if (!Files.isDirectory(root)) return out;
    try (Stream<Path> jobs = Files.list(root)) {
      for (Path job : (Iterable<Path>) jobs::iterator) {
        if (!Files.isDirectory(job)) continue;
        try (Stream<Path> chks = Files.list(job)) {
          chks.filter(p -> CHK.matcher(p.getFileName().toString()).matches()).forEach(out::add);
        } catch (java.nio.file.NoSuchFileException e) {
          // Removed while listing (Flink keeps only the newest three).
        }
      }
    } catch (java.nio.file.NoSuchFileException e) {
      // Removed while listing.
    }
    out.sort((a, b) -> Long.compare(number(a), number(b)));
    return out;
  }

  /** Deletes a directory tree (best effort: the test's temp files). */
  static void deleteTree(File f) {
    File[] children = f.listFiles();
    if (children != null) for (File c : children) deleteTree(c);
    f.delete();
  }
}
