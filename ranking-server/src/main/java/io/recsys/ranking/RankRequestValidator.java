package io.recsys.ranking;

import static io.recsys.common.validation.EventValidator.invalid;

import io.grpc.Status;
import io.recsys.api.v1.CandidateColumns;
import io.recsys.api.v1.RankCandidate;
import io.recsys.api.v1.RankRequest;
import io.recsys.api.v1.SourceColumn;
import io.recsys.api.v1.SourceScore;
import io.recsys.common.validation.ContextValidator;
import io.recsys.common.validation.EventValidator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Rejects malformed Rank requests with INVALID_ARGUMENT / RESOURCE_EXHAUSTED naming the field. */
final class RankRequestValidator {

  private final int maxCandidates;

  RankRequestValidator(int maxCandidates) {
    this.maxCandidates = maxCandidates;
  }

  void validate(RankRequest request, long nowMs) {
    EventValidator.validateUserId(request.getUserId());
    ContextValidator.validate(request.getContext(), "context", nowMs);
    EventValidator.validate(request.getRecentEventsList(), "recent_events", nowMs);
    if (request.hasColumns()) {
      if (request.getCandidatesCount() > 0) {
        throw invalid("send the candidates either as candidates or as columns, not both");
      }
      validateColumns(request.getColumns());
    } else {
      validateCandidates(request.getCandidatesList());
    }
  }

  private void validateCandidates(List<RankCandidate> candidates) {
    checkCount(candidates.size(), "candidates");
    Map<String, Integer> seen = new HashMap<>(candidates.size() * 2);
    for (int i = 0; i < candidates.size(); i++) {
      RankCandidate c = candidates.get(i);
      String where = "candidates[" + i + "]";
      checkItemId(c.getItemId(), where + ".item_id", "candidates", i, seen);
      for (SourceScore s : c.getSourcesList()) {
        if (!Float.isFinite(s.getScore())) {
          throw invalid(where + ": source '" + s.getSource() + "' has score " + s.getScore()
              + "; scores must be finite numbers");
        }
      }
    }
  }

  private void validateColumns(CandidateColumns columns) {
    int n = columns.getItemIdsCount();
    checkCount(n, "columns.item_ids");
    Map<String, Integer> seen = new HashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      checkItemId(columns.getItemIds(i), "columns.item_ids[" + i + "]", "columns.item_ids", i, seen);
    }
    for (int c = 0; c < columns.getSourcesCount(); c++) {
      SourceColumn column = columns.getSources(c);
      String where = "columns.sources[" + c + "] ('" + column.getSource() + "')";
      if (column.getScoresCount() != n) {
        throw invalid(where + " has " + column.getScoresCount() + " scores for " + n
            + " item_ids; send one score per item, NaN where the source did not propose it");
      }
      for (int i = 0; i < n; i++) {
        if (Float.isInfinite(column.getScores(i))) {
          throw invalid(where + ".scores[" + i + "] is infinite; scores must be finite numbers (NaN = not proposed)");
        }
      }
    }
  }

  private void checkCount(int n, String field) {
    if (n == 0) {
      throw invalid(field + " is empty; send 1.." + maxCandidates + " items to rank");
    }
    if (n > maxCandidates) {
      throw Status.RESOURCE_EXHAUSTED.withDescription(field + " has " + n
          + " items; at most " + maxCandidates + " per request (split the request, or raise"
          + " --max-candidates on the ranking server)").asRuntimeException();
    }
  }

  private static void checkItemId(String id, String where, String field, int i, Map<String, Integer> seen) {
    if (id.isEmpty()) {
      throw invalid(where + " is required");
    }
    if (id.length() > EventValidator.MAX_ID_LENGTH) {
      throw invalid(where + " is longer than " + EventValidator.MAX_ID_LENGTH + " characters");
    }
    Integer first = seen.putIfAbsent(id, i);
    if (first != null) {
      throw invalid(where + " '" + id + "' repeats " + field + "[" + first
          + "]; merge duplicate candidates (keep every source in one candidate's sources)");
    }
  }
}
