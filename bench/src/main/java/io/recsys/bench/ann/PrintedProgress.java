package io.recsys.bench.ann;

import io.recsys.common.index.BuildProgress;

/** Prints an index build's progress at every tenth of each pass: a million items take minutes. */
public final class PrintedProgress implements BuildProgress {
  private final String tag;
  private final long start;
  private int lastWritten;
  private int lastLinked;

  /** @param tag the line prefix, e.g. "[ann]" */
  public PrintedProgress(String tag, long start) {
    this.tag = tag;
    this.start = start;
  }

  @Override
  public synchronized void vectorsWritten(int done, int total) {
    lastWritten = report("stored", done, total, lastWritten);
  }

  @Override
  public synchronized void graphLinked(int done, int total) {
    lastLinked = report("linked into the graph", done, total, lastLinked);
  }

  private int report(String what, int done, int total, int lastTenth) {
    int tenth = (int) (10L * done / total);
    if (tenth > lastTenth) {
      System.out.printf("%s   %s %d/%d vectors (%.0f s)%n", tag, what, done, total, (System.nanoTime() - start) / 1e9);
    }
    return Math.max(tenth, lastTenth);
  }
}
