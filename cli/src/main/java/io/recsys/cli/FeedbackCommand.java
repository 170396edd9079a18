package io.recsys.cli;

import io.recsys.api.v1.Event;
import io.recsys.api.v1.EventType;
import io.recsys.api.v1.FeedbackRequest;
import io.recsys.api.v1.FeedbackResponse;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code feedback}: sends events to the gateway; the next recommend for the user sees them. */
@Command(name = "feedback", mixinStandardHelpOptions = true,
    description = "Send user events (e.g. a purchase) to RecommenderService.Feedback.")
final class FeedbackCommand implements Callable<Integer> {

  @Option(names = "--user", required = true, description = "user id")
  String user;

  @Option(names = "--item", required = true, split = ",", description = "item id(s)")
  List<String> items;

  @Option(names = "--type", defaultValue = "click",
      description = "view, click, add_to_cart, purchase, watch, rating, impression (default: ${DEFAULT-VALUE})")
  String type;

  @Option(names = "--gateway", defaultValue = "localhost:50050", description = "gateway target (default: ${DEFAULT-VALUE})")
  String gateway;

  @Override
  public Integer call() throws Exception {
    EventType t;
    try {
      t = EventType.valueOf(type.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown --type '" + type + "'");
    }
    FeedbackRequest.Builder req = FeedbackRequest.newBuilder().setUserId(user);
    for (String item : items) {
      req.addEvents(Event.newBuilder().setItemId(item).setType(t).setTimestampMs(System.currentTimeMillis()));
    }
    try (GatewayClient client = new GatewayClient(gateway)) {
      FeedbackResponse r = client.stub(5000).feedback(req.build());
      System.out.printf("accepted %d event(s); %s now has %d events in recent history%n",
          r.getAccepted(), user, r.getHistorySize());
    }
    return 0;
  }
}
