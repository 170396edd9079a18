package io.recsys.gateway;

import io.grpc.ClientInterceptor;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.recsys.gateway.remote.Upstream;
import java.util.concurrent.TimeUnit;

/** The gateway's client channels to the retrieval and ranking servers: built once, shared by all requests. */
final class GrpcChannels {

  private GrpcChannels() {}

  /**
   * A channel to "host:port" or any gRPC target. With {@code dns:///name:port} (e.g. a headless
   * Kubernetes service) the channel resolves every pod and balances per call with round_robin;
   * the default pick_first would pin all calls to one pod.
   */
  static ManagedChannel open(Upstream upstream, String target, ClientInterceptor... interceptors) {
    ManagedChannelBuilder<?> b = Grpc.newChannelBuilder(target, upstream.credentials())
        .intercept(interceptors)
        // answers only complete futures or wake a waiting request: no need to hop to another thread
        .directExecutor();
    if (target.startsWith("dns:")) {
      b.defaultLoadBalancingPolicy("round_robin");
    }
    // retries, hedging, timeouts and keepalive: see Upstream
    upstream.configure(b);
    ManagedChannel channel = b.build();
    // connect now, not on the first request: the first Recommend would otherwise pay the
    // connection set-up inside its source deadline
    channel.getState(true);
    return channel;
  }

  /** Closes a channel: in-flight calls get a few seconds, then are cancelled. */
  static AutoCloseable closer(ManagedChannel channel) {
    return () -> {
      channel.shutdown();
      if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    };
  }
}
