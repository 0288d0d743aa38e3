package livewall.flink.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * moto in server mode on 127.0.0.1, from the virtualenv .ci/run makes (LIVEWALL_MOTO_VENV, default
 * .venv-moto in the repository), as test/support/moto.ts starts it: Secrets Manager's stand-in.
 */
final class MotoServer implements AutoCloseable {
  final String endpoint;
  private final ChildProcess process;

  private MotoServer(String endpoint, ChildProcess process) {
    this.endpoint = endpoint;
    this.process = process;
  }

  static MotoServer start(Path repoRoot) throws Exception {
    String venv = System.getenv("LIVEWALL_MOTO_VENV");
    // A relative LIVEWALL_MOTO_VENV is the repository's, as for the TypeScript tests.
    Path bin = repoRoot.resolve(venv != null && !venv.isEmpty() ? venv : ".venv-moto")
        .resolve("bin").resolve("moto_server");
    if (!Files.isExecutable(bin)) {
      throw new AssertionError(
          bin + " is missing: run the moto step of .ci/run (python3 -m venv .venv-moto && .venv-moto/bin/pip install \"moto[server]\"), or set LIVEWALL_MOTO_VENV");
    }
    AssertionError last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int port = Poll.freePort();
      ChildProcess p =
          ChildProcess.start(
              "moto_server :" + port, List.of(bin.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port)), null);
      String endpoint = "http://127.0.0.1:" + port;
      try {
        Poll.until("moto to answer", 30_000, () -> answers(endpoint), p);
        return new MotoServer(endpoint, p);
      } catch (AssertionError e) {
        // Most likely the port was taken between asking and binding: another one.
        last = e;
        p.close();
      }
    }
    throw last;
  }

  private static boolean answers(String endpoint) {
    try {
      java.net.HttpURLConnection c =
          (java.net.HttpURLConnection) java.net.URI.create(endpoint + "/moto-api/").toURL().openConnection();
      c.setConnectTimeout(1000);
      c.setReadTimeout(5000);
      int status = c.getResponseCode();
      c.disconnect();
      return status < 500;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.stop(2_000);
    process.close();
  }
}
