package io.recsys.common.validation;

import static io.recsys.common.validation.EventValidator.invalid;

import io.recsys.api.v1.Context;
import java.util.Map;

/**
 * Checks a request's {@link Context}, the same on the gateway and on the servers behind it: a
 * context the ranker would refuse is refused by the gateway first (INVALID_ARGUMENT to the client),
 * instead of costing the client a degraded answer.
 */
public final class ContextValidator {

  public static final int MAX_TEXT_LENGTH = 128;
  public static final int MAX_ATTRIBUTES = 64;
  public static final int MAX_ATTRIBUTE_VALUE_LENGTH = 1024;

  private ContextValidator() {}

  /** @param field the request field, for messages such as "context.request_time_ms" */
  public static void validate(Context context, String field, long nowMs) {
    long t = context.getRequestTimeMs();
    if (t < 0) {
      throw invalid(field + ".request_time_ms " + t + " is negative; use milliseconds since the Unix epoch, or 0 for now");
    }
    if (t > nowMs + EventValidator.MAX_FUTURE_MS) {
      throw invalid(field + ".request_time_ms " + t
          + " is more than a day in the future; use milliseconds (not microseconds) since the Unix epoch");
    }
    checkLength(context.getDevice(), field + ".device", MAX_TEXT_LENGTH);
    checkLength(context.getLocale(), field + ".locale", MAX_TEXT_LENGTH);
    if (context.getAttributesCount() > MAX_ATTRIBUTES) {
      throw invalid(field + ".attributes has " + context.getAttributesCount() + " entries; at most " + MAX_ATTRIBUTES);
    }
    for (Map.Entry<String, String> a : context.getAttributesMap().entrySet()) {
      checkLength(a.getKey(), field + ".attributes key '" + prefix(a.getKey()) + "'", MAX_TEXT_LENGTH);
      checkLength(a.getValue(), field + ".attributes['" + prefix(a.getKey()) + "']", MAX_ATTRIBUTE_VALUE_LENGTH);
    }
  }

  static void checkLength(String value, String where, int max) {
    if (value.length() > max) {
      throw invalid(where + " is " + value.length() + " characters; at most " + max);
    }
  }

  private static String prefix(String s) {
    return s.length() <= 32 ? s : s.substring(0, 32) + "...";
  }
}
