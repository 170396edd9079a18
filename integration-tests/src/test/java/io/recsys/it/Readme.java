package io.recsys.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The project's README.md, read by tests that keep what it shows true. */
final class Readme {

  /** The project's root: where mvnw and README.md are (Maven runs the tests in integration-tests/). */
  static final Path ROOT = findRoot();

  private Readme() {}

  static String text() throws IOException {
    return Files.readString(ROOT.resolve("README.md"));
  }

  /** The body of the first fenced code block after {@code <!-- readme:NAME -->}. */
  static String block(String name) throws IOException {
    String text = text();
    String marker = "<!-- readme:" + name + " -->";
    int at = text.indexOf(marker);
    if (at < 0) {
      throw new IllegalStateException("README.md has no " + marker);
    }
    int open = text.indexOf("```", at);
    int bodyStart = text.indexOf('\n', open) + 1;
    int close = text.indexOf("\n```", bodyStart);
    return text.substring(bodyStart, close + 1);
  }

  /**
   * Every command of README.md that starts with {@code prefix} (after indentation), e.g. the grpcurl
   * commands, with its continuation lines (a line ending in a backslash) joined as the shell joins them.
   */
  static List<String> commandsStartingWith(String prefix) throws IOException {
    List<String> lines = text().lines().toList();
    List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String command = lines.get(i).strip();
      if (!command.startsWith(prefix)) {
        continue;
      }
      while (command.endsWith("\\") && i + 1 < lines.size()) {
        command = command.substring(0, command.length() - 1) + lines.get(++i).strip();
      }
      out.add(command);
    }
    return out;
  }

  private static Path findRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve("README.md")) && Files.exists(dir.resolve("mvnw"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no project root (README.md and mvnw) above " + Path.of("").toAbsolutePath());
  }
}
