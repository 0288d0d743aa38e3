package livewall.flink;

/** A record on its way to a stream: its partition key and its JSON text. */
public class Out {
  public String key;
  public String json;

  public Out() {}

  public Out(String key, String json) {
    this.key = key;
    this.json = json;
  }

  @Override
  public String toString() {
    return key + " " + json;
  }
}
