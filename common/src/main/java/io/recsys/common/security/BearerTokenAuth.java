package io.recsys.common.security;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Lets a call through only with {@code authorization: Bearer <token>}: none is UNAUTHENTICATED,
 * another token PERMISSION_DENIED. The token is compared in constant time, so the time a refusal
 * takes says nothing about how much of a guess was right.
 */
public final class BearerTokenAuth implements ServerInterceptor {

  static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static final String BEARER = "Bearer ";

  private final byte[] token;

  public BearerTokenAuth(String token) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("the admin token must not be empty");
    }
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  /** The header value a client sends. */
  public static String header(String token) {
    return BEARER + token;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                     ServerCallHandler<Q, R> next) {
    String value = headers.get(AUTHORIZATION);
    if (value == null || !value.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      return refuse(call, Status.UNAUTHENTICATED.withDescription(
          "this admin API needs 'authorization: Bearer <token>' (the server's --admin-token)"));
    }
    byte[] given = value.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, token)) {
      return refuse(call, Status.PERMISSION_DENIED.withDescription("wrong admin token"));
    }
    return next.startCall(call, headers);
  }

  private static <Q, R> ServerCall.Listener<Q> refuse(ServerCall<Q, R> call, Status status) {
    call.close(status, new Metadata());
    return new ServerCall.Listener<>() {};
  }
}
