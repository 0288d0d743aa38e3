package livewall.flink.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private MariaDB (Debian's mariadb-server binaries) on a free port with its own data directory,
 * as test/support/mariadb.ts starts it: root@127.0.0.1 without a password, no binlog.
 */
final class PrivateMariaDb implements AutoCloseable {
  // A 16 MiB redo log instead of 96 MiB: less disk per instance, same behaviour for tests.
  private static final String INNODB_LOG = "--innodb-log-file-size=16M";

  final int port;
  private final ChildProcess process;

  private PrivateMariaDb(int port, ChildProcess process) {
    this.port = port;
    this.process = process;
  }

  /** Installs a data directory under {@code dir} and starts the server on it. */
  static PrivateMariaDb start(Path dir) throws Exception {
    String hint = "install mariadb-server (.ci/run does)";
    String mariadbd = Kinesalite.Executables.find("mariadbd", hint);
    String installDb = Kinesalite.Executables.find("mariadb-install-db", hint);
    Path data = dir.resolve("data");
    Path tmp = dir.resolve("tmp");
    Files.createDirectories(tmp);
    // "normal" gives root@localhost/127.0.0.1/::1 with an empty password (not unix-socket auth);
    // --force skips resolving the hostname, which fails in some containers.
    Process install =
        new ProcessBuilder(
                installDb,
                "--no-defaults",
                "--datadir=" + data,
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
                "--force",
                "--user=root",
                "--tmpdir=" + tmp,
                INNODB_LOG)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("install.log").toFile())
            .start();
    if (!install.waitFor(60, TimeUnit.SECONDS)) {
      install.destroyForcibly();
      throw new AssertionError("mariadb-install-db took over 60 s");
    }
    if (install.exitValue() != 0) {
      throw new AssertionError(
          "mariadb-install-db exited with " + install.exitValue() + ":\n" + Files.readString(dir.resolve("install.log")));
    }
    AssertionError last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      int port = Poll.freePort();
      ChildProcess p =
          ChildProcess.start(
              "mariadbd :" + port,
              List.of(
                  mariadbd,
                  "--no-defaults",
                  "--datadir=" + data,
                  "--port=" + port,
                  "--bind-address=127.0.0.1",
                  "--socket=" + dir.resolve("mariadbd.sock"),
                  // Own tmpdir: instances sharing /tmp delete each other's temporary files.
                  "--tmpdir=" + tmp,
                  "--pid-file=" + dir.resolve("mariadbd.pid"),
                  "--user=root",
                  "--skip-name-resolve",
                  INNODB_LOG),
              dir.toFile());
      PrivateMariaDb db = new PrivateMariaDb(port, p);
      try {
        Poll.until("MariaDB to accept connections", 60_000, db::accepts, p);
        return db;
      } catch (AssertionError e) {
        // Most likely the port was taken between asking and binding: another one.
        last = e;
        p.close();
      }
    }
    throw last;
  }

  private boolean accepts() {
    try (Connection c = connect("")) {
      return c.isValid(2);
    } catch (Exception e) {
      return false;
    }
  }

  /** A connection to a database ("" for none). */
  Connection connect(String database) throws Exception {
    return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + port + "/" + database + "?user=root&connectTimeout=2000");
  }

  /** Creates a utf8mb4 database (latin1, the server default, cannot hold 西安). */
  void createDatabase(String name) throws Exception {
    if (!name.matches("[A-Za-z0-9_]+")) throw new IllegalArgumentException("unsafe database name: " + name);
    try (Connection c = connect(""); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE IF NOT EXISTS `" + name + "` CHARACTER SET utf8mb4");
    }
  }

  ChildProcess process() {
    return process;
  }

  /** MariaDB shuts down cleanly on SIGTERM; SIGKILL only if that takes too long. */
  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
