package io.recsys.it;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.util.JsonFormat;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What {@code grpcurl -plaintext [-d JSON] HOST:PORT SERVICE/METHOD} does, in Java, for machines
 * without grpcurl (Debian packages none): the method and its message types come from the server's
 * reflection service, the JSON is parsed into the request type, and the answer is printed as JSON.
 * It knows only the flags this README uses and refuses any other, so a README line it cannot run
 * fails the test instead of passing untried.
 */
final class ReflectiveGrpcurl {

  /** One grpcurl command line, split into its parts. */
  record Command(String address, String service, String method, String json) {

    static Command parse(String line) {
      List<String> words = shellWords(line);
      if (words.isEmpty() || !words.get(0).equals("grpcurl")) {
        throw new IllegalArgumentException("not a grpcurl line: " + line);
      }
      boolean plaintext = false;
      String json = "{}";
      List<String> positional = new ArrayList<>();
      for (int i = 1; i < words.size(); i++) {
        String w = words.get(i);
        switch (w) {
          case "-plaintext" -> plaintext = true;
          case "-d" -> json = words.get(++i);
          default -> {
            if (w.startsWith("-")) {
              throw new IllegalArgumentException("grpcurl flag " + w + " is not one this check implements: " + line);
            }
            positional.add(w);
          }
        }
      }
      if (!plaintext || positional.size() != 2 || !positional.get(1).contains("/")) {
        throw new IllegalArgumentException("expected grpcurl -plaintext [-d JSON] HOST:PORT SERVICE/METHOD: " + line);
      }
      String symbol = positional.get(1);
      return new Command(positional.get(0), symbol.substring(0, symbol.lastIndexOf('/')),
          symbol.substring(symbol.lastIndexOf('/') + 1), json);
    }
  }

  private ReflectiveGrpcurl() {}

  /** Runs the command against {@code address} (the command's own, or a test server's), returning the answer as JSON. */
  static String call(Command c, String address) throws Exception {
    ManagedChannel channel = ManagedChannelBuilder.forTarget(address).usePlaintext().build();
    try {
      ServiceDescriptor service = serviceByReflection(channel, c.service());
      MethodDescriptor method = service.findMethodByName(c.method());
      if (method == null) {
        throw new IllegalArgumentException(c.service() + " has no method " + c.method());
      }
      DynamicMessage.Builder request = DynamicMessage.newBuilder(method.getInputType());
      JsonFormat.parser().merge(c.json(), request);
      DynamicMessage answer = ClientCalls.blockingUnaryCall(channel, grpcMethod(method),
          CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), request.build());
      return JsonFormat.printer().print(answer);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static io.grpc.MethodDescriptor<DynamicMessage, DynamicMessage> grpcMethod(MethodDescriptor m) {
    return io.grpc.MethodDescriptor.<DynamicMessage, DynamicMessage>newBuilder()
        .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(io.grpc.MethodDescriptor.generateFullMethodName(m.getService().getFullName(), m.getName()))
        .setRequestMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(m.getInputType())))
        .setResponseMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(m.getOutputType())))
        .build();
  }

  /** The service's descriptor, built from the file and dependencies the server's reflection sends. */
  private static ServiceDescriptor serviceByReflection(ManagedChannel channel, String service) throws Exception {
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
        .withDeadlineAfter(20, TimeUnit.SECONDS)
        .serverReflectionInfo(new StreamObserver<>() {
          @Override
          public void onNext(ServerReflectionResponse r) {
            answer.complete(r);
          }

          @Override
          public void onError(Throwable t) {
            answer.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {}
        });
    requests.onNext(ServerReflectionRequest.newBuilder().setFileContainingSymbol(service).build());
    ServerReflectionResponse r = answer.get(20, TimeUnit.SECONDS);
    requests.onCompleted();
    if (r.hasErrorResponse()) {
      throw new IllegalArgumentException("reflection does not know " + service + ": " + r.getErrorResponse().getErrorMessage());
    }
    Map<String, FileDescriptorProto> protos = new HashMap<>();
    for (var bytes : r.getFileDescriptorResponse().getFileDescriptorProtoList()) {
      FileDescriptorProto p = FileDescriptorProto.parseFrom(bytes);
      protos.put(p.getName(), p);
    }
    Map<String, FileDescriptor> built = new HashMap<>();
    for (String name : protos.keySet()) {
      ServiceDescriptor s = build(name, protos, built).findServiceByName(service.substring(service.lastIndexOf('.') + 1));
      if (s != null && s.getFullName().equals(service)) {
        return s;
      }
    }
    throw new IllegalArgumentException("reflection sent no descriptor of " + service);
  }

  private static FileDescriptor build(String name, Map<String, FileDescriptorProto> protos, Map<String, FileDescriptor> built)
      throws DescriptorValidationException {
    FileDescriptor done = built.get(name);
    if (done != null) {
      return done;
    }
    FileDescriptorProto proto = protos.get(name);
    if (proto == null) {
      throw new IllegalArgumentException("reflection did not send " + name);
    }
    List<FileDescriptor> deps = new ArrayList<>();
    for (String dep : proto.getDependencyList()) {
      deps.add(build(dep, protos, built));
    }
    FileDescriptor fd = FileDescriptor.buildFrom(proto, deps.toArray(FileDescriptor[]::new));
    built.put(name, fd);
    return fd;
  }

  /** Splits a shell line into words: spaces separate, single quotes keep their content literally (all this README uses). */
  static List<String> shellWords(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (ch == '\'') {
        int end = line.indexOf('\'', i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("unclosed quote: " + line);
        }
        word = (word == null ? new StringBuilder() : word).append(line, i + 1, end);
        i = end;
      } else if (ch == ' ') {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
      } else if (ch == '"' || ch == '\\' || ch == '$' || ch == '`' || ch == '#' || ch == '&' || ch == '|' || ch == ';') {
        throw new IllegalArgumentException("shell syntax '" + ch + "' outside single quotes is not handled here: " + line);
      } else {
        word = (word == null ? new StringBuilder() : word).append(ch);
      }
    }
    if (word != null) {
      words.add(word.toString());
    }
    return words;
  }
}
