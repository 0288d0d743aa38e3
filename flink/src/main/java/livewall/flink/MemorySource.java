package livewall.flink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.streaming.api.functions.source.RichParallelSourceFunction;

/**
 * Change events from memory instead of Kinesis, for the bench and the pipeline tests: the given
 * events, or a file's lines read before the first is emitted; each parallel instance emits every
 * N-th. It ends after the last, or, held open, waits for a cancel (so processing-time timers,
 * the emitter's among them, still fire).
 */
public class MemorySource extends RichParallelSourceFunction<String> {
  private static final long serialVersionUID = 1L;
  /** When the first event of this JVM was emitted (epoch ms), 0 before: the bench's start. */
  public static final AtomicLong FIRST_EMIT = new AtomicLong();

  private final List<String> events;
  private final String file;
  private final boolean holdOpen;
  private volatile boolean running = true;

  private MemorySource(List<String> events, String file, boolean holdOpen) {
    this.events = events;
    this.file = file;
    this.holdOpen = holdOpen;
  }

  /** These events, then wait until cancelled. */
  public static MemorySource heldOpen(List<String> events) {
    return new MemorySource(new ArrayList<>(events), null, true);
  }

  /** The lines of a file, read into memory first, then the end of the input. */
  public static MemorySource ofFile(String file) {
    return new MemorySource(null, file, false);
  }

  @Override
  public void run(SourceContext<String> ctx) throws Exception {
    List<String> all = events != null ? events : lines(file);
    int n = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
    int me = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
    FIRST_EMIT.compareAndSet(0, System.currentTimeMillis());
    for (int i = me; i < all.size() && running; i += n) {
      synchronized (ctx.getCheckpointLock()) {
        ctx.collect(all.get(i));
      }
    }
    while (holdOpen && running) Thread.sleep(50);
  }

  private static List<String> lines(String file) throws IOException {
    List<String> out = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(file), StandardCharsets.UTF_8)) {
      if (!line.isEmpty()) out.add(line);
    }
    return out;
  }

  @Override
  public void cancel() {
    running = false;
  }
}
