package io.recsys.state.log;

import java.time.Duration;

/**
 * When a {@code file:} log forces its writes to disk.
 *
 * <ul>
 *   <li>{@code batch} (the default): every group of appends is fsynced before any of them is
 *       acknowledged. Nothing acknowledged is lost, even when the machine loses power.</li>
 *   <li>{@code <N>ms}: appends are acknowledged once written to the operating system, and fsynced
 *       at most N ms later. A crash of the gateway loses nothing acknowledged; a crash of the machine
 *       may lose the last N ms.</li>
 * </ul>
 *
 * @param interval zero for {@code batch}
 */
public record FsyncPolicy(Duration interval) {

  public static final FsyncPolicy EVERY_BATCH = new FsyncPolicy(Duration.ZERO);

  public FsyncPolicy {
    if (interval.isNegative()) {
      throw new IllegalArgumentException("fsync interval must not be negative: " + interval);
    }
  }

  public boolean everyBatch() {
    return interval.isZero();
  }

  /** {@code batch} or {@code <N>ms}. */
  public static FsyncPolicy parse(String text) {
    if (text.equals("batch")) {
      return EVERY_BATCH;
    }
    if (text.endsWith("ms")) {
      try {
        long ms = Long.parseLong(text.substring(0, text.length() - 2));
        if (ms > 0) {
          return new FsyncPolicy(Duration.ofMillis(ms));
        }
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new IllegalArgumentException("fsync is '" + text + "'; use 'batch' (fsync every group of appends)"
        + " or '<N>ms' (fsync at most N ms after an append, N >= 1)");
  }

  @Override
  public String toString() {
    return everyBatch() ? "fsync every batch" : "fsync every " + interval.toMillis() + " ms";
  }
}
