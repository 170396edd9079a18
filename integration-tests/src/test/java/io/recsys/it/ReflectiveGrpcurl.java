package io.recsys.it;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.util.JsonFormat;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code grpcurl (-plaintext | -cacert CA) [-H 'NAME: VALUE']... [-d JSON] HOST:PORT SERVICE/METHOD}
 * does, in Java, for machines without grpcurl (Debian packages none): the method and its message
 * types come from the server's reflection service, the JSON is parsed into the request type, the
 * headers go with both calls, and the answer is printed as JSON. It knows only the flags this
 * README uses and refuses any other, so a README line it cannot run fails the test instead of
 * passing untried.
 */
final class ReflectiveGrpcurl {

  /**
   * One grpcurl command line, split into its parts.
   *
   * @param caCert the -cacert file (TLS), or null for -plaintext
   * @param headers the -H headers, "name: value" each, variables expanded
   */
  record Command(String address, String service, String method, String json, String caCert, List<String> headers) {

    /** Parses a line; {@code $NAME} inside double quotes takes its value from {@code env}. */
    static Command parse(String line, Map<String, String> env) {
      List<String> words = shellWords(line, env);
      if (words.isEmpty() || !words.get(0).equals("grpcurl")) {
        throw new IllegalArgumentException("not a grpcurl line: " + line);
      }
      boolean plaintext = false;
      String caCert = null;
      String json = "{}";
      List<String> headers = new ArrayList<>();
      List<String> positional = new ArrayList<>();
      for (int i = 1; i < words.size(); i++) {
        String w = words.get(i);
        switch (w) {
          case "-plaintext" -> plaintext = true;
          case "-cacert" -> caCert = words.get(++i);
          case "-H" -> headers.add(words.get(++i));
          case "-d" -> json = words.get(++i);
          default -> {
            if (w.startsWith("-")) {
              throw new IllegalArgumentException("grpcurl flag " + w + " is not one this check implements: " + line);
            }
            positional.add(w);
          }
        }
      }
      if (plaintext == (caCert != null) || positional.size() != 2 || !positional.get(1).contains("/")) {
        throw new IllegalArgumentException(
            "expected grpcurl (-plaintext | -cacert CA) [-H HEADER]... [-d JSON] HOST:PORT SERVICE/METHOD: " + line);
      }
      String symbol = positional.get(1);
      return new Command(positional.get(0), symbol.substring(0, symbol.lastIndexOf('/')),
          symbol.substring(symbol.lastIndexOf('/') + 1), json, caCert, List.copyOf(headers));
    }
  }

  private ReflectiveGrpcurl() {}

  /**
   * Runs the command against {@code address} (the command's own, or a test server's), with relative
   * file names resolved in {@code dir}, returning the answer as JSON.
   */
  static String call(Command c, String address, Path dir) throws Exception {
    ChannelCredentials credentials = c.caCert() == null ? InsecureChannelCredentials.create()
        : TlsChannelCredentials.newBuilder().trustManager(dir.resolve(c.caCert()).toFile()).build();
    Metadata headers = new Metadata();
    for (String h : c.headers()) {
      int colon = h.indexOf(':');
      headers.put(Metadata.Key.of(h.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT),
          Metadata.ASCII_STRING_MARSHALLER), h.substring(colon + 1).strip());
    }
    ManagedChannel managed = Grpc.newChannelBuilder(address, credentials).build();
    Channel channel = ClientInterceptors.intercept(managed, MetadataUtils.newAttachHeadersInterceptor(headers));
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
      managed.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
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
  private static ServiceDescriptor serviceByReflection(Channel channel, String service) throws Exception {
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

  /**
   * Splits a shell line into words, as far as this README needs: spaces separate, single quotes keep
   * their content literally, double quotes expand {@code $NAME} from {@code env} (an unset name fails),
   * a {@code #} that starts a word starts a comment.
   */
  static List<String> shellWords(String line, Map<String, String> env) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (ch == '\'' || ch == '"') {
        int end = line.indexOf(ch, i + 1);
        if (end < 0) {
          throw new IllegalArgumentException("unclosed quote: " + line);
        }
        String quoted = line.substring(i + 1, end);
        word = (word == null ? new StringBuilder() : word).append(ch == '"' ? expand(quoted, env, line) : quoted);
        i = end;
      } else if (ch == '#' && word == null) {
        break; // a comment runs to the end of the line
      } else if (ch == ' ') {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
      } else if (ch == '\\' || ch == '$' || ch == '`' || ch == '#' || ch == '&' || ch == '|' || ch == ';') {
        throw new IllegalArgumentException("shell syntax '" + ch + "' outside quotes is not handled here: " + line);
      } else {
        word = (word == null ? new StringBuilder() : word).append(ch);
      }
    }
    if (word != null) {
      words.add(word.toString());
    }
    return words;
  }

  private static String expand(String quoted, Map<String, String> env, String line) {
    if (quoted.contains("\\") || quoted.contains("`") || quoted.contains("${")) {
      throw new IllegalArgumentException("shell syntax inside double quotes is not handled here: " + line);
    }
    Matcher m = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)").matcher(quoted);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = env.get(m.group(1));
      if (value == null) {
        throw new IllegalArgumentException("$" + m.group(1) + " is not set for: " + line);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    return m.appendTail(out).toString();
  }
}
