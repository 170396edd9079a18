package io.recsys.common.index;

/**
 * Progress of an item index build: a million items take minutes, and a build without output looks
 * hung. Called from the building threads.
 */
public interface BuildProgress {

  /** Reports nothing. */
  BuildProgress NONE = new BuildProgress() {
    @Override
    public void vectorsWritten(int done, int total) {}

    @Override
    public void graphLinked(int done, int total) {}
  };

  /** {@code done} of {@code total} item vectors stored (the cheap first pass). */
  void vectorsWritten(int done, int total);

  /** {@code done} of {@code total} item vectors linked into the HNSW graph (the expensive pass). */
  void graphLinked(int done, int total);
}
