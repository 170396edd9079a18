package io.recsys.common.server;

import io.grpc.stub.StreamObserver;
import io.recsys.api.v1.AdminServiceGrpc;
import io.recsys.api.v1.GetStatusRequest;
import io.recsys.api.v1.ServerStatus;
import java.util.function.Supplier;

/** The status half of the admin API, the same on every server. */
final class AdminServiceImpl extends AdminServiceGrpc.AdminServiceImplBase {

  static final String VERSION = "0.1.0";

  private final String server;
  private final long startedAt;
  private final ServerCounters counters;
  private final Supplier<BundleInfo> bundle;

  AdminServiceImpl(String server, long startedAt, ServerCounters counters, Supplier<BundleInfo> bundle) {
    this.server = server;
    this.startedAt = startedAt;
    this.counters = counters;
    this.bundle = bundle;
  }

  @Override
  public void getStatus(GetStatusRequest request, StreamObserver<ServerStatus> out) {
    BundleInfo b = bundle.get();
    long now = System.currentTimeMillis();
    out.onNext(ServerStatus.newBuilder()
        .setServer(server)
        .setVersion(VERSION)
        .setBundleVersion(b.version())
        .setBundlePath(b.path())
        .setStartedAtMs(startedAt)
        .setUptimeMs(now - startedAt)
        .putAllCounters(counters.snapshot())
        .build());
    out.onCompleted();
  }
}
