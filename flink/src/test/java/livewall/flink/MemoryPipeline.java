package livewall.flink;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The whole job (LivewallJob.pipeline) in a MiniCluster, fed from memory, its records caught in
 * memory: per stream, every record written in order.
 */
final class MemoryPipeline implements AutoCloseable {
  /** Stream name → records written; static because the sink runs in the same JVM. */
  static final Map<String, ConcurrentLinkedQueue<String>> WRITTEN = new ConcurrentHashMap<>();

  final JobClient job;
  final String metrics;

  MemoryPipeline(List<String> events, JobOptions o) throws Exception {
    Configuration c = new Configuration();
    c.setString("taskmanager.memory.managed.size", "32m");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1, c);
    metrics = o.metrics;
    WRITTEN.remove(o.metrics);
    if (o.dwd != null) WRITTEN.remove(o.dwd);
    LivewallJob.pipeline(
        env, env.addSource(MemorySource.heldOpen(events)).name("memory"), o, Map.of(), Collect::new);
    job = env.executeAsync("memory-pipeline");
  }

  static JobOptions options(String metrics) {
    JobOptions o = new JobOptions();
    o.metrics = metrics;
    o.dwd = null;
    o.timeZone = "UTC";
    o.dbTimeZone = "UTC";
    o.emitIntervalMs = 50;
    return o;
  }

  List<String> records() {
    return List.copyOf(WRITTEN.getOrDefault(metrics, new ConcurrentLinkedQueue<>()));
  }

  /** Waits until the records written so far satisfy {@code done}; fails after the deadline. */
  void waitFor(String what, long timeoutMs, Predicate<List<String>> done) throws Exception {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    long interval = 20;
    while (!done.test(records())) {
      if (job.getJobStatus().get().isGloballyTerminalState()) {
        throw new AssertionError("the job ended while waiting for " + what + ": " + job.getJobStatus().get());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + "; written: " + records());
      }
      Thread.sleep(interval);
      interval = Math.min(500, interval * 2);
    }
  }

  @Override
  public void close() throws Exception {
    job.cancel().get();
  }

  /** A sink that keeps every record in {@link #WRITTEN}. */
  static final class Collect implements Sink<Out> {
    private static final long serialVersionUID = 1L;
    private final String stream;

    Collect(String stream) {
      this.stream = stream;
    }

    @Override
    public SinkWriter<Out> createWriter(InitContext context) throws IOException {
      ConcurrentLinkedQueue<String> q = WRITTEN.computeIfAbsent(stream, k -> new ConcurrentLinkedQueue<>());
      return new SinkWriter<>() {
        @Override
        public void write(Out element, Context context) {
          q.add(element.json);
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
      };
    }
  }
}
