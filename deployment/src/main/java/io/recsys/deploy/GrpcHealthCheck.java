package io.recsys.deploy;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.util.concurrent.TimeUnit;

/**
 * The images' Docker HEALTHCHECK: asks a local server's grpc.health.v1 service and exits 0 when it
 * answers SERVING, 1 otherwise. Kubernetes does not need it (its probes speak gRPC health natively);
 * plain Docker, Compose and Testcontainers do.
 *
 * <p>usage: {@code GrpcHealthCheck PORT [SERVICE]}
 */
public final class GrpcHealthCheck {

  private GrpcHealthCheck() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length < 1 || args.length > 2) {
      System.err.println("usage: GrpcHealthCheck PORT [SERVICE]");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    String service = args.length == 2 ? args[1] : "";
    ServingStatus status = check("localhost", port, service, 3);
    System.out.println(status);
    System.exit(status == ServingStatus.SERVING ? 0 : 1);
  }

  /** The server's health status, or UNKNOWN when it does not answer within the deadline. */
  static ServingStatus check(String host, int port, String service, long deadlineSeconds)
      throws InterruptedException {
    ManagedChannel channel = ManagedChannelBuilder.forAddress(host, port).usePlaintext().build();
    try {
      return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(deadlineSeconds, TimeUnit.SECONDS)
          .check(HealthCheckRequest.newBuilder().setService(service).build())
          .getStatus();
    } catch (StatusRuntimeException e) {
      return ServingStatus.UNKNOWN;
    } finally {
      channel.shutdownNow().awaitTermination(1, TimeUnit.SECONDS);
    }
  }
}
