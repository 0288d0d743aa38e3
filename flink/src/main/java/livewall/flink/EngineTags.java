package livewall.flink;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.kinesis.shaded.com.amazonaws.services.kinesis.AmazonKinesis;
import org.apache.flink.kinesis.shaded.com.amazonaws.services.kinesis.model.AddTagsToStreamRequest;
import org.apache.flink.runtime.util.EnvironmentInformation;
import org.apache.flink.streaming.connectors.kinesis.util.AWSUtil;

/**
 * The job names itself on the streams it writes with the same three Kinesis stream tags as
 * `livewall engine` (src/main/kinesis/engineTags.ts), so a screen or `livewall health` reading
 * metric_ds says which engine fills it. Tags, not records: contract 2 stays as it is.
 */
final class EngineTags {
  static final String ENGINE = "livewall-engine";
  static final String DETAIL = "livewall-engine-detail";
  static final String SINCE = "livewall-engine-since";
  /** The TypeScript engine's count of skipped records; a new engine starts it afresh. */
  static final String SKIPPED = "livewall-engine-skipped";

  private EngineTags() {}

  /** The tags: kind `flink` (a local MiniCluster) or `managed-flink` (on AWS). */
  static Map<String, String> tags(boolean managed, int parallelism, long since) {
    StringBuilder detail = new StringBuilder("Flink ").append(EnvironmentInformation.getVersion());
    if (parallelism > 0) detail.append(" parallelism ").append(parallelism);
    detail.append(managed ? " on Managed Service for Apache Flink" : " on " + hostName());
    Map<String, String> t = new LinkedHashMap<>();
    t.put(ENGINE, managed ? "managed-flink" : "flink");
    t.put(DETAIL, tagValue(detail.toString()));
    t.put(SINCE, Long.toString(since));
    // The job counts its skipped records in Flink metrics; a stale count of another engine goes.
    t.put(SKIPPED, "none");
    return t;
  }

  /** Characters Kinesis accepts in a tag (letters, digits, space, _ . / = + - @), at most 256. */
  static String tagValue(String text) {
    String clean = text.replaceAll("[^\\p{L}\\p{N}\\s_./=+\\-@]", " ").replaceAll("\\s+", " ").trim();
    return clean.length() > 256 ? clean.substring(0, 256) : clean;
  }

  /** Tags each stream; a refusal is a warning only: the job runs, screens just cannot name it. */
  static void announce(Properties kinesis, List<String> streams, Map<String, String> tags) {
    AmazonKinesis client;
    try {
      client = AWSUtil.createKinesisClient(kinesis);
    } catch (RuntimeException e) {
      System.err.println("livewall-flink: cannot tag the streams with the engine's name: " + e.getMessage());
      return;
    }
    try {
      for (String stream : streams) {
        try {
          client.addTagsToStream(new AddTagsToStreamRequest().withStreamName(stream).withTags(tags));
        } catch (RuntimeException e) {
          System.err.println(
              "livewall-flink: cannot tag " + stream + " with the engine's name ("
                  + e.getClass().getSimpleName()
                  + "); screens reading it will not name the engine (needs kinesis:AddTagsToStream)");
        }
      }
    } finally {
      client.shutdown();
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "this machine";
    }
  }
}
