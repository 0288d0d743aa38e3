package livewall.flink;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** `--customers` (a mysql:// or postgres:// URL, as `livewall engine` takes it) as JDBC options. */
public final class Jdbc {
  public final String url;
  public final String driver;
  public final String user;
  public final String password;
  /** For messages: never the password. */
  public final String description;

  private Jdbc(String url, String driver, String user, String password, String description) {
    this.url = url;
    this.driver = driver;
    this.user = user;
    this.password = password;
    this.description = description;
  }

  /**
   * The password: in the URL (discouraged), else the given one (a runtime property on AWS), else
   * LIVEWALL_MYSQL_PASSWORD or MYSQL_PWD for MySQL, PGPASSWORD for PostgreSQL.
   */
  public static Jdbc of(String customers, String givenPassword, java.util.Map<String, String> env) {
    URI u = URI.create(customers);
    String scheme = u.getScheme();
    boolean mysql = scheme.equals("mysql") || scheme.equals("mariadb");
    String user = null;
    String password = null;
    if (u.getRawUserInfo() != null) {
      String[] parts = u.getRawUserInfo().split(":", 2);
      user = decode(parts[0]);
      if (parts.length > 1) password = decode(parts[1]);
    }
    if (password == null) password = givenPassword;
    if (password == null) {
      for (String name : mysql ? new String[] {"LIVEWALL_MYSQL_PASSWORD", "MYSQL_PWD"} : new String[] {"PGPASSWORD"}) {
        String v = env.get(name);
        if (v != null && !v.isEmpty()) {
          password = v;
          break;
        }
      }
    }
    // The connector wants a user and a password or neither: an account without one has "".
    if (user != null && password == null) password = "";
    String host = u.getHost() == null ? "127.0.0.1" : u.getHost();
    int port = u.getPort() > 0 ? u.getPort() : mysql ? 3306 : scheme.equals("redshift") ? 5439 : 5432;
    String db = u.getPath() == null || u.getPath().length() <= 1 ? "" : u.getPath().substring(1);
    String description = (user == null ? "" : user + "@") + host + ":" + port + "/" + db;
    if (mysql) {
      // Flink's MySQL dialect takes only jdbc:mysql: URLs; the MariaDB driver accepts them so.
      return new Jdbc(
          "jdbc:mysql://" + host + ":" + port + "/" + db + "?permitMysqlScheme",
          "org.mariadb.jdbc.Driver", user, password, description);
    }
    return new Jdbc(
        "jdbc:postgresql://" + host + ":" + port + "/" + db, "org.postgresql.Driver", user, password, description);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
