package io.recsys.models.data.synthetic;

import java.util.Map;
import java.util.Set;

/**
 * What the generator knows and a model has to discover: the categories each user likes (where most
 * of their taste mass lies). Tests assert that recommendations fall into them.
 */
public record SyntheticTruth(Map<String, Set<String>> likedCategories, int categories) {

  public Set<String> liked(String userId) {
    return likedCategories.getOrDefault(userId, Set.of());
  }
}
