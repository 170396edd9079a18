package io.recsys.common.bundle;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Users known at training time and their dense indices. Index 0 is reserved for users the model
 * never saw; known users start at 1.
 */
public final class UserTable {

  public static final int UNKNOWN = 0;
  public static final List<String> HEADER = List.of("index", "user_id");

  private final List<String> ids;
  private final Map<String, Integer> byId;

  /** @param ids known user ids; user {@code ids.get(i)} gets index {@code i + 1} */
  public UserTable(List<String> ids) {
    this.ids = List.copyOf(ids);
    this.byId = new HashMap<>(ids.size() * 2);
    for (int i = 0; i < ids.size(); i++) {
      if (byId.put(ids.get(i), i + 1) != null) {
        throw new IllegalArgumentException("duplicate user id " + ids.get(i));
      }
    }
  }

  /** Index slots including the reserved 0. */
  public int slots() {
    return ids.size() + 1;
  }

  public int size() {
    return ids.size();
  }

  /** Dense index of a user, or {@link #UNKNOWN}. */
  public int indexOf(String userId) {
    return byId.getOrDefault(userId, UNKNOWN);
  }

  public String id(int index) {
    return ids.get(index - 1);
  }

  public static UserTable read(Path file) throws IOException {
    List<String> ids = new ArrayList<>();
    Tsv.read(file, HEADER, (c, line) -> {
      if (Integer.parseInt(c[0]) != ids.size() + 1) {
        throw new IOException(file + ":" + line + ": user index out of order");
      }
      ids.add(c[1]);
    });
    return new UserTable(ids);
  }

  public void write(Path file) throws IOException {
    try (BufferedWriter out = Tsv.writer(file, HEADER)) {
      for (int i = 0; i < ids.size(); i++) {
        out.write((i + 1) + "\t" + Tsv.clean(ids.get(i)) + "\n");
      }
    }
  }
}
