package io.recsys.cli.loadtest;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/** Prints a phase's progress every few seconds while it runs: call rate, p99 so far, errors. */
public final class ProgressPrinter implements AutoCloseable {

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "loadtest-progress");
    t.setDaemon(true);
    return t;
  });

  public ProgressPrinter(String label, LatencyRecorder recorder, int periodS, PrintStream out) {
    long start = System.nanoTime();
    timer.scheduleAtFixedRate(() -> {
      long calls = recorder.drainInterval();
      Histogram soFar = recorder.total();
      out.printf("[loadtest] %-16s %4.0fs  %7.0f calls/s  p99 so far %7.2f ms  errors %d  degraded %d%n",
          label, (System.nanoTime() - start) / 1e9, calls / (double) periodS,
          soFar.getValueAtPercentile(99) / 1000.0, recorder.errors(), recorder.degraded());
    }, periodS, periodS, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
