package io.recsys.state.history;

/** The history store did not answer (down, slow, unreachable); the caller goes on without it. */
public final class HistoryUnavailableException extends RuntimeException {

  public HistoryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
