package io.recsys.bench;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.recsys.common.metrics.Buckets;
import io.recsys.common.server.ServerCounters;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * What the servers' metrics cost per record, side by side with the admin counter every stage and
 * call already paid before the Prometheus histograms: a latency histogram record (13 buckets), a
 * count histogram record, and the untraced span check the pipeline makes per request. Two threads,
 * as many as this machine has cores, so contention on the shared meters shows. A Recommend makes
 * about 30 histogram records over the three servers (RPC + 12 stages x 2 on the gateway, two
 * Retrieves, Rank + batcher). Run: {@code bench/run MetricsBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(2)
public class MetricsBenchmark {

  private ServerCounters counters;
  private Timer latency;
  private DistributionSummary candidates;
  private String counterName;

  @Setup
  public void setUp() {
    counters = new ServerCounters();
    latency = Buckets.latency("bench.latency", "").tag("stage", "source:two_tower").register(counters.registry());
    candidates = Buckets.counts("bench.candidates", "").tag("stage", "source:two_tower").register(counters.registry());
    counterName = "stage.source:two_tower.calls";
  }

  @Benchmark
  public void adminCounter() {
    counters.increment(counterName);
  }

  @Benchmark
  public void latencyHistogram() {
    latency.record(1_234, TimeUnit.MICROSECONDS);
  }

  @Benchmark
  public void countHistogram() {
    candidates.record(200);
  }

  @Benchmark
  public boolean untracedSpanCheck() {
    return Span.current().getSpanContext().isValid();
  }
}
