package io.recsys.cli.loadtest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Base64;
import org.HdrHistogram.Histogram;

/**
 * A {@link LoadReport} as JSON, so runs can be compared by a script. Each step carries its
 * percentiles and its full latency histogram (microseconds) in HdrHistogram's compressed V2
 * encoding, base64: {@code Histogram.decodeFromCompressedByteBuffer} (Java) or the HdrHistogram
 * ports for Python, Go and JavaScript read it back, e.g. to merge runs or plot the distribution.
 */
public final class JsonReport {

  public static final String HISTOGRAM_ENCODING = "HdrHistogram V2 compressed, base64, microseconds";

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new SimpleModule()
          .addSerializer(Histogram.class, new HistogramSerializer())
          .addDeserializer(Histogram.class, new HistogramDeserializer()))
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private JsonReport() {}

  /** The report plus what a reader needs to decode it. */
  record Document(String histogramEncoding, LoadReport report) {}

  public static void write(LoadReport report, Path file) throws IOException {
    MAPPER.writeValue(file.toFile(), new Document(HISTOGRAM_ENCODING, report));
  }

  public static LoadReport read(Path file) throws IOException {
    return MAPPER.readValue(file.toFile(), Document.class).report();
  }

  public static String encode(Histogram h) {
    ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
    int length = h.encodeIntoCompressedByteBuffer(buf);
    return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buf.array(), length));
  }

  public static Histogram decode(String base64) {
    try {
      return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
    } catch (java.util.zip.DataFormatException e) {
      throw new IllegalArgumentException("not an " + HISTOGRAM_ENCODING + " histogram: " + e.getMessage(), e);
    }
  }

  private static final class HistogramSerializer extends JsonSerializer<Histogram> {
    @Override
    public void serialize(Histogram h, JsonGenerator gen, SerializerProvider provider) throws IOException {
      gen.writeString(encode(h));
    }
  }

  private static final class HistogramDeserializer extends JsonDeserializer<Histogram> {
    @Override
    public Histogram deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      return decode(p.getValueAsString());
    }
  }
}
