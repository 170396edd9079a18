package io.recsys.cli.loadtest;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Collects the outcomes of one measured phase from many threads: latencies (microseconds, 3
 * significant digits) in an HdrHistogram {@link Recorder}, errors by status code, degraded answers
 * and Feedback calls. Every completed call counts in the histogram, failures too: a call that
 * waited for its deadline is a slow call. The progress printer reads interval snapshots while
 * the phase runs; {@link #total()} folds them into the phase's histogram.
 */
public final class LatencyRecorder {

  static final int SIGNIFICANT_DIGITS = 3;

  private final Recorder recorder = new Recorder(SIGNIFICANT_DIGITS);
  private final Histogram total = new Histogram(SIGNIFICANT_DIGITS);
  private Histogram recycled;
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final LongAdder degraded = new LongAdder();
  private final LongAdder feedback = new LongAdder();

  public void record(long latencyNanos, CallOutcome outcome) {
    recorder.recordValue(Math.max(0, TimeUnit.NANOSECONDS.toMicros(latencyNanos)));
    if (outcome.failed()) {
      errors.computeIfAbsent(outcome.errorCode(), c -> new LongAdder()).increment();
    } else if (outcome.degraded()) {
      degraded.increment();
    }
    if (outcome.feedback()) {
      feedback.increment();
    }
  }

  /** Folds the calls recorded since the last call into the total; returns how many there were. */
  public synchronized long drainInterval() {
    Histogram interval = recorder.getIntervalHistogram(recycled);
    total.add(interval);
    recycled = interval;
    return interval.getTotalCount();
  }

  /** Every call recorded so far, as a copy. */
  public synchronized Histogram total() {
    drainInterval();
    return total.copy();
  }

  public Map<String, Long> errorsByCode() {
    Map<String, Long> out = new HashMap<>();
    errors.forEach((code, n) -> out.put(code, n.sum()));
    return out;
  }

  public long errors() {
    return errors.values().stream().mapToLong(LongAdder::sum).sum();
  }

  public long degraded() {
    return degraded.sum();
  }

  public long feedback() {
    return feedback.sum();
  }
}
