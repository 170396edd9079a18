package io.recsys.gateway.experiment;

import java.util.List;

/**
 * Assigns each user to an experiment arm by a hash of the user id: stable across requests, servers
 * and restarts, so a user's Recommend and Feedback calls land in the same arm.
 */
public final class ExperimentArms {

  private final List<String> arms;

  public ExperimentArms(List<String> arms) {
    if (arms.isEmpty() || arms.stream().anyMatch(String::isBlank)) {
      throw new IllegalArgumentException("experiment arms must be non-empty names, got " + arms);
    }
    this.arms = List.copyOf(arms);
  }

  public List<String> arms() {
    return arms;
  }

  public String armOf(String userId) {
    // String.hashCode is specified by the JLS (the same everywhere); the mix spreads similar ids
    int h = userId.hashCode() * 0x9E3779B9;
    h ^= h >>> 16;
    return arms.get(Integer.remainderUnsigned(h, arms.size()));
  }
}
