package io.recsys.state.log;

import io.recsys.api.v1.EventRecord;
import java.io.IOException;
import java.util.function.Consumer;

/** Reads an event log from its start: to rebuild state at start, for online metrics, for training. */
public interface EventLogReader {

  /**
   * Every complete record, in append order (for a partitioned log: in order per user). Damage is
   * skipped, never thrown: a torn last record (a crash mid-write) ends the read of its segment, and
   * each such skip is logged and named in the result.
   */
  ReadResult readAll(Consumer<EventRecord> sink) throws IOException;

  /**
   * @param records records handed to the sink
   * @param warnings what was skipped and why (also logged)
   */
  record ReadResult(long records, java.util.List<String> warnings) {
    public ReadResult {
      warnings = java.util.List.copyOf(warnings);
    }
  }
}
