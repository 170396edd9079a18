package io.recsys.bench.ann;

import java.lang.management.ManagementFactory;

/** What a benchmark reports about the machine and the heap around a measurement. */
public final class JvmProbe {

  private JvmProbe() {}

  /** The machine's 1-minute load; above the core count, others ran too and the numbers are noisy. */
  public static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /** Heap in use after two full collections: subtract two of these to size what was opened between. */
  public static long usedHeapAfterGc() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
