package livewall.flink;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;

/**
 * `npm run bench`'s figure of the job itself: the events of a file (one change event a line, read
 * into memory first) through the whole pipeline at a given parallelism, the output discarded.
 * Prints `events/s N`, timed from the first event emitted to the end of the job, so the JVM's and
 * the MiniCluster's start-up are left out. Args: FILE PARALLELISM TIME-ZONE.
 */
public final class MemoryBench {
  private MemoryBench() {}

  /** Records the job wrote (all streams): how much a sink would have had to take. */
  static final AtomicLong WRITTEN = new AtomicLong();

  /** Counts and discards. */
  static final class Counting implements Sink<Out> {
    private static final long serialVersionUID = 1L;

    @Override
    public SinkWriter<Out> createWriter(InitContext context) {
      return new SinkWriter<>() {
        @Override
        public void write(Out element, Context context) {
          WRITTEN.incrementAndGet();
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
      };
    }
  }

  public static void main(String[] args) throws Exception {
    String file = args[0];
    int parallelism = Integer.parseInt(args[1]);
    JobOptions o = new JobOptions();
    o.timeZone = args.length > 2 ? args[2] : "UTC";
    o.dbTimeZone = o.timeZone;
    Configuration c = new Configuration();
    c.setString("taskmanager.memory.managed.size", "32m");
    c.setString("taskmanager.numberOfTaskSlots", Integer.toString(parallelism));
    StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, c);
    long lines;
    try (java.util.stream.Stream<String> s = java.nio.file.Files.lines(java.nio.file.Path.of(file))) {
      lines = s.filter(l -> !l.isEmpty()).count();
    }
    LivewallJob.pipeline(
        env, env.addSource(MemorySource.ofFile(file)).name("memory"), o, java.util.Map.of(), stream -> new Counting());
    JobExecutionResult r = env.execute("livewall-bench");
    long ms = Math.max(1, System.currentTimeMillis() - MemorySource.FIRST_EMIT.get());
    System.out.println("events " + lines + " ms " + ms + " net-runtime-ms " + r.getNetRuntime());
    System.out.println("records written " + WRITTEN.get());
    System.out.println("events/s " + Math.round(lines * 1000.0 / ms));
  }
}
