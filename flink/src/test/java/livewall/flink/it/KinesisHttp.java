package livewall.flink.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ArrayNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The few Kinesis calls the test makes, as plain JSON over HTTP/1.1 to kinesalite, which checks
 * only that a well-formed AWS4 Authorization header and a date are present (no signature check).
 */
final class KinesisHttp {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  private final String endpoint;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

  KinesisHttp(String endpoint) {
    this.endpoint = endpoint;
  }

  /** One record: its partition key and its text (UTF-8). */
  static final class Record {
    final String key;
    final String data;

    Record(String key, String data) {
      this.key = key;
      this.data = data;
    }
  }

  JsonNode call(String operation, ObjectNode body) throws Exception {
    String date = ZonedDateTime.now(ZoneOffset.UTC).format(AMZ_DATE);
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(endpoint + "/"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-amz-json-1.1")
            .header("X-Amz-Target", "Kinesis_20131202." + operation)
            .header("X-Amz-Date", date)
            .header(
                "Authorization",
                "AWS4-HMAC-SHA256 Credential=AKIDLIVEWALLTEST/" + date.substring(0, 8)
                    + "/us-east-1/kinesis/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target,"
                    + " Signature=0000000000000000000000000000000000000000000000000000000000000000")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8))
            .build();
    HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (res.statusCode() != 200) {
      throw new IllegalStateException("Kinesis " + operation + " answered " + res.statusCode() + ": " + res.body());
    }
    return JSON.readTree(res.body());
  }

  /** Creates a stream and waits until it is ACTIVE. */
  void createStream(String name, int shards) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("StreamName", name).put("ShardCount", shards);
    call("CreateStream", body);
    Poll.until(
        "stream " + name + " to become ACTIVE",
        30_000,
        () ->
            call("DescribeStreamSummary", JSON.createObjectNode().put("StreamName", name))
                .path("StreamDescriptionSummary")
                .path("StreamStatus")
                .asText()
                .equals("ACTIVE"));
  }

  /** Puts records in order (one request per 500: a shard keeps a request's order). */
  void putRecords(String stream, List<Record> records) throws Exception {
    for (int from = 0; from < records.size(); from += 500) {
      ObjectNode body = JSON.createObjectNode().put("StreamName", stream);
      ArrayNode list = body.putArray("Records");
      for (Record r : records.subList(from, Math.min(records.size(), from + 500))) {
        list.addObject()
            .put("PartitionKey", r.key)
            .put("Data", Base64.getEncoder().encodeToString(r.data.getBytes(StandardCharsets.UTF_8)));
      }
      JsonNode res = call("PutRecords", body);
      if (res.path("FailedRecordCount").asInt() != 0) {
        // A retry would reorder one order's events; kinesalite has no reason to refuse any.
        throw new IllegalStateException("PutRecords refused records: " + res);
      }
    }
  }

  List<String> shardIds(String stream) throws Exception {
    List<String> ids = new ArrayList<>();
    for (JsonNode s : call("ListShards", JSON.createObjectNode().put("StreamName", stream)).path("Shards")) {
      ids.add(s.path("ShardId").asText());
    }
    return ids;
  }

  /** Reads one shard from its start; each read() returns the records since the last one. */
  final class ShardReader {
    final String shardId;
    private String iterator;

    ShardReader(String stream, String shardId) throws Exception {
      this.shardId = shardId;
      ObjectNode body =
          JSON.createObjectNode()
              .put("StreamName", stream)
              .put("ShardId", shardId)
              .put("ShardIteratorType", "TRIM_HORIZON");
      iterator = call("GetShardIterator", body).path("ShardIterator").asText();
    }

    List<Record> read() throws Exception {
      List<Record> out = new ArrayList<>();
      while (true) {
        JsonNode res = call("GetRecords", JSON.createObjectNode().put("ShardIterator", iterator).put("Limit", 10_000));
        JsonNode records = res.path("Records");
        for (JsonNode r : records) {
          byte[] data = Base64.getDecoder().decode(r.path("Data").asText());
          out.add(new Record(r.path("PartitionKey").asText(), new String(data, StandardCharsets.UTF_8)));
        }
        if (res.hasNonNull("NextShardIterator")) iterator = res.path("NextShardIterator").asText();
        if (records.size() == 0 || res.path("MillisBehindLatest").asLong() == 0) return out;
      }
    }
  }

  /** Every shard of a stream, read from its start. */
  final class StreamReader {
    final List<ShardReader> shards = new ArrayList<>();

    StreamReader(String stream) throws Exception {
      for (String id : shardIds(stream)) shards.add(new ShardReader(stream, id));
    }
  }
}
