package livewall.flink.it;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * kinesalite from the repository's node_modules (test/support/kinesalite.ts does the same): on
 * 127.0.0.1 only, streams ACTIVE at once, data in memory. It exits when the test JVM goes (its
 * stdin closes).
 */
final class Kinesalite implements AutoCloseable {
  // What kinesalite's cli.js does, except that it binds 127.0.0.1 only, ends with its parent, and
  // outlives a client killed mid-request (kinesalite throws "aborted" from the request's error
  // handler, which would end the server; the test SIGKILLs the job, a client of kinesalite).
  private static final String SERVER_SCRIPT =
      "process.on('uncaughtException', (e) => {"
          + "  if (e && e.code === 'ECONNRESET') { console.log('kinesalite: a client went away mid-request'); return; }"
          + "  console.error(e); process.exit(1);"
          + "});"
          + "const [main, port, options] = process.argv.slice(1);"
          + "const server = require(main)(JSON.parse(options)).listen(Number(port), '127.0.0.1', () => {"
          + "  console.log('Listening at http://127.0.0.1:' + server.address().port);"
          + "});"
          + "process.stdin.on('end', () => process.exit(0)); process.stdin.resume();";

  final String endpoint;
  final KinesisHttp client;
  private final ChildProcess process;

  private Kinesalite(String endpoint, ChildProcess process) {
    this.endpoint = endpoint;
    this.process = process;
    this.client = new KinesisHttp(endpoint);
  }

  static Kinesalite start(Path repoRoot) throws Exception {
    Path main = repoRoot.resolve("node_modules").resolve("kinesalite");
    if (!Files.isRegularFile(main.resolve("index.js"))) {
      throw new AssertionError(
          main + " is missing: run npm ci in the repository first (the Flink job's test runs kinesalite)");
    }
    String node = Executables.find("node", "install Node.js 20 (the repository's npm ci needs it too)");
    String options = "{\"createStreamMs\":0,\"deleteStreamMs\":0,\"updateStreamMs\":0,\"shardLimit\":100}";
    AssertionError last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int port = Poll.freePort();
      ChildProcess p =
          ChildProcess.start(
              "kinesalite :" + port,
              List.of(node, "-e", SERVER_SCRIPT, main.toString(), Integer.toString(port), options),
              repoRoot.toFile());
      try {
        Poll.until("kinesalite to listen", 30_000, () -> p.output().contains("Listening at"), p);
        return new Kinesalite("http://127.0.0.1:" + port, p);
      } catch (AssertionError e) {
        // Most likely the port was taken between asking and binding: another one.
        last = e;
        p.close();
      }
    }
    throw last;
  }

  ChildProcess process() {
    return process;
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
  }

  /** Where executables live: PATH, then the sbin directories Debian puts servers in. */
  static final class Executables {
    private Executables() {}

    static String find(String name, String hint) {
      String path = System.getenv().getOrDefault("PATH", "");
      for (String dir : (path + File.pathSeparator + "/usr/local/sbin" + File.pathSeparator + "/usr/sbin")
          .split(File.pathSeparator)) {
        if (dir.isEmpty()) continue;
        File f = new File(dir, name);
        if (f.isFile() && f.canExecute()) return f.getPath();
      }
      throw new AssertionError(name + " not found on PATH or in /usr/sbin: " + hint);
    }
  }
}
