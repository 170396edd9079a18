package io.recsys.cli.loadtest;

/**
 * How one call ended.
 *
 * @param errorCode the gRPC status code name, {@code null} when the call succeeded
 * @param degraded a Recommend answer the gateway marked degraded (a fallback answered)
 * @param feedback the call was a Feedback call
 */
public record CallOutcome(String errorCode, boolean degraded, boolean feedback) {

  /** Status of a call the harness did not send because too many were already in flight. */
  public static final String CLIENT_BACKLOG = "CLIENT_BACKLOG";

  public static CallOutcome ok(boolean degraded, boolean feedback) {
    return new CallOutcome(null, degraded, feedback);
  }

  public static CallOutcome error(String code, boolean feedback) {
    return new CallOutcome(code, false, feedback);
  }

  public boolean failed() {
    return errorCode != null;
  }
}
