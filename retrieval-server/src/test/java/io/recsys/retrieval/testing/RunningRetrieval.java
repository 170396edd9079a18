package io.recsys.retrieval.testing;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.recsys.api.v1.RetrievalServiceGrpc;
import io.recsys.api.v1.RetrievalServiceGrpc.RetrievalServiceBlockingStub;
import io.recsys.common.server.RecsysServer;
import io.recsys.retrieval.RetrievalServerCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A retrieval server started as its command line does, on a free port, with a plaintext client. */
public final class RunningRetrieval implements AutoCloseable {

  private final RecsysServer server;
  private final ManagedChannel channel;

  private RunningRetrieval(RecsysServer server) {
    this.server = server;
    this.channel = Grpc.newChannelBuilder("localhost:" + server.port(), InsecureChannelCredentials.create()).build();
  }

  /** @param options more command-line options, e.g. {@code --max-k 2000} */
  public static RunningRetrieval start(Path bundle, String... options) throws IOException {
    List<String> args = new ArrayList<>(List.of("--port", "0", "--bundle", bundle.toString()));
    args.addAll(List.of(options));
    RetrievalServerCommand command = new RetrievalServerCommand();
    new picocli.CommandLine(command).parseArgs(args.toArray(String[]::new));
    return new RunningRetrieval(command.start());
  }

  /** A client whose calls have 30 s each (a stub's deadline runs from when it is made). */
  public RetrievalServiceBlockingStub stub() {
    return RetrievalServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();
  }
}
