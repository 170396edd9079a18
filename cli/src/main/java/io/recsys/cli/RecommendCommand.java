package io.recsys.cli;

import io.recsys.api.v1.Event;
import io.recsys.api.v1.EventType;
import io.recsys.api.v1.RecommendRequest;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code recommend}: asks the gateway for a user's recommendations and prints them. */
@Command(name = "recommend", mixinStandardHelpOptions = true,
    description = "Call RecommenderService.Recommend on a running gateway and print the ranked items.")
final class RecommendCommand implements Callable<Integer> {

  @Option(names = "--user", required = true, description = "user id (unknown users get cold-start recommendations)")
  String user;

  @Option(names = "--k", defaultValue = "10", description = "how many items (1..200, default: ${DEFAULT-VALUE})")
  int k;

  @Option(names = "--gateway", defaultValue = "localhost:50050", description = "gateway target (default: ${DEFAULT-VALUE})")
  String gateway;

  @Option(names = "--viewed", split = ",", description = "item ids the user just viewed (sent as recent events)")
  List<String> viewed = List.of();

  @Option(names = "--debug", description = "print per-stage timings")
  boolean debug;

  @Option(names = "--timeout-ms", defaultValue = "5000", description = "call deadline (default: ${DEFAULT-VALUE})")
  long timeoutMs;

  @Override
  public Integer call() throws Exception {
    RecommendRequest.Builder req = RecommendRequest.newBuilder().setUserId(user).setK(k).setDebug(debug);
    for (String item : viewed) {
      req.addRecentEvents(Event.newBuilder().setItemId(item).setType(EventType.VIEW)
          .setTimestampMs(System.currentTimeMillis()));
    }
    try (GatewayClient client = new GatewayClient(gateway)) {
      System.out.println("recommendations for " + user + ":");
      GatewayClient.print(client.stub(timeoutMs).recommend(req.build()), System.out);
    }
    return 0;
  }
}
