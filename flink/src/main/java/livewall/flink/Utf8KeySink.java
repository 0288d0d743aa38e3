package livewall.flink;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSink;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.kinesis.sink.KinesisStreamsSink;
import org.apache.flink.connector.kinesis.sink.KinesisStreamsStateSerializer;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * The Kinesis sink with a checkpoint format that holds partition keys beyond ASCII. The
 * connector's KinesisStreamsStateSerializer (4.3.0) writes a key's length in chars but its UTF-8
 * bytes, so a buffered record keyed by an identity with a city like 北京 garbles every entry after
 * it: restoring such a checkpoint reads a huge length and fails with OutOfMemoryError, again and
 * again. This one writes the byte length, which for ASCII keys is the same bytes as before.
 */
public final class Utf8KeySink<T> implements StatefulSink<T, BufferedRequestState<PutRecordsRequestEntry>> {
  private static final long serialVersionUID = 1L;

  private final KinesisStreamsSink<T> sink;

  public Utf8KeySink(KinesisStreamsSink<T> sink) {
    this.sink = sink;
  }

  @Override
  public StatefulSinkWriter<T, BufferedRequestState<PutRecordsRequestEntry>> createWriter(InitContext context)
      throws IOException {
    return sink.createWriter(context);
  }

  @Override
  public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
    return sink.createWriter(context);
  }

  @Override
  public StatefulSinkWriter<T, BufferedRequestState<PutRecordsRequestEntry>> restoreWriter(
      InitContext context, Collection<BufferedRequestState<PutRecordsRequestEntry>> state) throws IOException {
    return sink.restoreWriter(context, state);
  }

  @Override
  public StatefulSinkWriter<T, BufferedRequestState<PutRecordsRequestEntry>> restoreWriter(
      WriterInitContext context, Collection<BufferedRequestState<PutRecordsRequestEntry>> state) throws IOException {
    return sink.restoreWriter(context, state);
  }

  @Override
  public SimpleVersionedSerializer<BufferedRequestState<PutRecordsRequestEntry>> getWriterStateSerializer() {
    return new StateSerializer();
  }

  /** The connector's format (same version), with the partition key's length in UTF-8 bytes. */
  static final class StateSerializer extends KinesisStreamsStateSerializer {
    @Override
    protected void serializePartitionKeyToStream(String key, DataOutputStream out) throws IOException {
      byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
      out.writeInt(bytes.length);
      out.write(bytes);
    }

    @Override
    protected String deserializePartitionKeyFromStream(DataInputStream in) throws IOException {
      byte[] bytes = new byte[in.readInt()];
      in.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }
}
