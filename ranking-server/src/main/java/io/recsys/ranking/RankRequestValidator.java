package io.recsys.ranking;

import static io.recsys.common.validation.EventValidator.invalid;

import io.grpc.Status;
import io.recsys.api.v1.RankCandidate;
import io.recsys.api.v1.RankRequest;
import io.recsys.api.v1.SourceScore;
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
    if (request.getContext().getRequestTimeMs() < 0) {
      throw invalid("context.request_time_ms " + request.getContext().getRequestTimeMs()
          + " is negative; use milliseconds since the Unix epoch, or 0 for now");
    }
    EventValidator.validate(request.getRecentEventsList(), "recent_events", nowMs);
    validateCandidates(request.getCandidatesList());
  }

  private void validateCandidates(List<RankCandidate> candidates) {
    if (candidates.isEmpty()) {
      throw invalid("candidates is empty; send 1.." + maxCandidates + " items to rank");
    }
    if (candidates.size() > maxCandidates) {
      throw Status.RESOURCE_EXHAUSTED.withDescription("candidates has " + candidates.size()
          + " items; at most " + maxCandidates + " per request (split the request, or raise"
          + " --max-candidates on the ranking server)").asRuntimeException();
    }
    Map<String, Integer> seen = new HashMap<>(candidates.size() * 2);
    for (int i = 0; i < candidates.size(); i++) {
      RankCandidate c = candidates.get(i);
      String where = "candidates[" + i + "]";
      if (c.getItemId().isEmpty()) {
        throw invalid(where + ".item_id is required");
      }
      if (c.getItemId().length() > EventValidator.MAX_ID_LENGTH) {
        throw invalid(where + ".item_id is longer than " + EventValidator.MAX_ID_LENGTH + " characters");
      }
      Integer first = seen.putIfAbsent(c.getItemId(), i);
      if (first != null) {
        throw invalid(where + ".item_id '" + c.getItemId() + "' repeats candidates[" + first
            + "]; merge duplicate candidates (keep every source in one candidate's sources)");
      }
      for (SourceScore s : c.getSourcesList()) {
        if (!Float.isFinite(s.getScore())) {
          throw invalid(where + ": source '" + s.getSource() + "' has score " + s.getScore()
              + "; scores must be finite numbers");
        }
      }
    }
  }
}
