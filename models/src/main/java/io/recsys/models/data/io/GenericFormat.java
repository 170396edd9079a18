package io.recsys.models.data.io;

import io.recsys.api.v1.EventType;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.features.Interaction;
import io.recsys.models.data.Dataset;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The generic interaction format, a directory with:
 * <ul>
 *   <li>{@code interactions.csv}: columns {@code user_id,item_id,timestamp_ms} and optionally
 *       {@code event_type} (VIEW, CLICK, ADD_TO_CART, PURCHASE, WATCH, RATING; default VIEW) and
 *       {@code value}. A column {@code timestamp} instead of {@code timestamp_ms} is read as seconds.</li>
 *   <li>{@code items.csv} (optional): {@code item_id} and optionally {@code category}, {@code price},
 *       {@code created_ms}, {@code text}. Items that only appear in interactions get no features.</li>
 * </ul>
 * Interactions keep file order for equal timestamps (a stable sort per user).
 */
public final class GenericFormat {

  public static final String INTERACTIONS = "interactions.csv";
  public static final String ITEMS = "items.csv";

  private GenericFormat() {}

  public static Dataset read(Path dir, String name) throws IOException {
    Path interactionsFile = dir.resolve(INTERACTIONS);
    if (!Files.isRegularFile(interactionsFile)) {
      throw new IOException("no " + INTERACTIONS + " in " + dir
          + " (generic format: interactions.csv with user_id,item_id,timestamp_ms[,event_type,value])");
    }
    InteractionLog log = new InteractionLog();
    Path itemsFile = dir.resolve(ITEMS);
    if (Files.isRegularFile(itemsFile)) {
      readItems(itemsFile, log);
    }
    List<String> header = Csv.read(interactionsFile, (f, line) -> { });
    Columns cols = new Columns(interactionsFile, header);
    int user = cols.required("user_id");
    int item = cols.required("item_id");
    int tsMs = cols.optional("timestamp_ms");
    int tsSec = cols.optional("timestamp");
    if (tsMs < 0 && tsSec < 0) {
      throw new IOException(interactionsFile + ":1: needs a column timestamp_ms (or timestamp in seconds); header is " + header);
    }
    int type = cols.optional("event_type");
    int value = cols.optional("value");
    Csv.read(interactionsFile, (f, line) -> {
      cols.check(f, line);
      String itemId = f.get(item);
      if (log.itemIndex(itemId) < 0) {
        log.addItem(interactionsFile, line, new ItemCatalog.Item(itemId, "", 0, 0f, 0L, ""));
      }
      long ts = tsMs >= 0 ? InteractionLog.parseLong(f.get(tsMs), interactionsFile, line, "timestamp_ms")
          : InteractionLog.parseLong(f.get(tsSec), interactionsFile, line, "timestamp") * 1000;
      EventType et = EventType.VIEW;
      if (type >= 0 && !f.get(type).isBlank()) {
        try {
          et = EventType.valueOf(f.get(type).trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw new IOException(interactionsFile + ":" + line + ": event_type '" + f.get(type)
              + "' is not one of VIEW, CLICK, ADD_TO_CART, PURCHASE, WATCH, RATING");
        }
      }
      double v = value >= 0 && !f.get(value).isBlank()
          ? InteractionLog.parseDouble(f.get(value), interactionsFile, line, "value") : 0;
      log.addEvent(f.get(user), new Interaction(log.itemIndex(itemId), et, ts, v));
    });
    return log.build(name);
  }

  private static void readItems(Path file, InteractionLog log) throws IOException {
    List<String> header = Csv.read(file, (f, line) -> { });
    Columns cols = new Columns(file, header);
    int id = cols.required("item_id");
    int cat = cols.optional("category");
    int price = cols.optional("price");
    int created = cols.optional("created_ms");
    int text = cols.optional("text");
    Csv.read(file, (f, line) -> {
      cols.check(f, line);
      log.addItem(file, line, new ItemCatalog.Item(f.get(id),
          cat >= 0 ? f.get(cat).trim() : "",
          0,
          price >= 0 && !f.get(price).isBlank()
              ? (float) InteractionLog.parseDouble(f.get(price), file, line, "price") : 0f,
          created >= 0 && !f.get(created).isBlank()
              ? InteractionLog.parseLong(f.get(created), file, line, "created_ms") : 0L,
          text >= 0 ? f.get(text) : ""));
    });
  }

  /** Writes a data set in this format (used for the generated default data). */
  public static void write(Dataset ds, Path dir) throws IOException {
    Files.createDirectories(dir);
    ItemCatalog items = ds.items();
    try (Writer out = Files.newBufferedWriter(dir.resolve(ITEMS), StandardCharsets.UTF_8)) {
      Csv.writeRow(out, List.of("item_id", "category", "price", "created_ms", "text"));
      for (int i = 0; i < items.size(); i++) {
        ItemCatalog.Item it = items.get(i);
        Csv.writeRow(out, List.of(it.id(), it.category(), Float.toString(it.price()),
            Long.toString(it.createdMs()), it.title()));
      }
    }
    try (Writer out = Files.newBufferedWriter(dir.resolve(INTERACTIONS), StandardCharsets.UTF_8)) {
      Csv.writeRow(out, List.of("user_id", "item_id", "timestamp_ms", "event_type", "value"));
      for (int u = 0; u < ds.users(); u++) {
        for (Interaction e : ds.histories().get(u)) {
          Csv.writeRow(out, List.of(ds.userIds().get(u), items.id(e.itemIndex()),
              Long.toString(e.timestampMs()), e.type().name(), Double.toString(e.value())));
        }
      }
    }
  }

  /** Header lookup with errors that name the file. */
  private record Columns(Path file, List<String> header) {
    int required(String name) throws IOException {
      int i = header.indexOf(name);
      if (i < 0) {
        throw new IOException(file + ":1: missing column '" + name + "' (header is " + header + ")");
      }
      return i;
    }

    int optional(String name) {
      return header.indexOf(name);
    }

    void check(List<String> f, int line) throws IOException {
      if (f.size() != header.size()) {
        throw new IOException(file + ":" + line + ": expected " + header.size() + " fields "
            + header + ", found " + f.size());
      }
    }
  }
}
