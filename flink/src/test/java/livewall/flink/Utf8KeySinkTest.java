package livewall.flink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;
import org.apache.flink.connector.kinesis.sink.KinesisStreamsStateSerializer;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.core.SdkBytes;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import org.junit.jupiter.api.Test;

/** The sink's checkpoint format: keys beyond ASCII survive a restore; ASCII keys as before. */
class Utf8KeySinkTest {
  static BufferedRequestState<PutRecordsRequestEntry> state(String... keys) {
    List<RequestEntryWrapper<PutRecordsRequestEntry>> entries = new ArrayList<>();
    for (String key : keys) {
      byte[] data = ("{\"key\":\"" + key + "\"}").getBytes(StandardCharsets.UTF_8);
      PutRecordsRequestEntry e = PutRecordsRequestEntry.builder().partitionKey(key).data(SdkBytes.fromByteArray(data)).build();
      entries.add(new RequestEntryWrapper<>(e, data.length));
    }
    return new BufferedRequestState<>(entries);
  }

  static List<String> keysAndData(BufferedRequestState<PutRecordsRequestEntry> s) {
    List<String> out = new ArrayList<>();
    for (RequestEntryWrapper<PutRecordsRequestEntry> w : s.getBufferedRequestEntries()) {
      out.add(w.getRequestEntry().partitionKey() + " " + w.getRequestEntry().data().asUtf8String());
    }
    return out;
  }

  @Test
  void keysWithChineseCitiesRoundTrip() throws Exception {
    Utf8KeySink.StateSerializer s = new Utf8KeySink.StateSerializer();
    BufferedRequestState<PutRecordsRequestEntry> before =
        state("[\"orders\",\"1d\",1795910400000,[[\"city\",\"北京\"]]]", "7", "[\"gmv\",\"1m\",1795960000000,[[\"city\",\"西安\"]]]");
    BufferedRequestState<PutRecordsRequestEntry> after = s.deserialize(s.getVersion(), s.serialize(before));
    assertEquals(keysAndData(before), keysAndData(after));
  }

  @Test
  void asciiKeysAreWrittenAsTheConnectorWritesThem() throws Exception {
    BufferedRequestState<PutRecordsRequestEntry> st = state("7", "[\"orders\",\"1d\",1795910400000,[[\"city\",\"Xi'an\"]]]");
    KinesisStreamsStateSerializer connector = new KinesisStreamsStateSerializer();
    Utf8KeySink.StateSerializer ours = new Utf8KeySink.StateSerializer();
    assertEquals(connector.getVersion(), ours.getVersion());
    assertArrayEquals(connector.serialize(st), ours.serialize(st));
    assertEquals(keysAndData(st), keysAndData(ours.deserialize(1, connector.serialize(st))));
  }
}
