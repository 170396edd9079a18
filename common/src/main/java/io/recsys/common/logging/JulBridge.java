package io.recsys.common.logging;

import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Sends java.util.logging (grpc-java's and Netty's logger) to SLF4J, so a server's log is one
 * stream in one format (text or JSON, see logback.xml) instead of two.
 */
public final class JulBridge {

  private JulBridge() {}

  /** Idempotent; call once at a process's entry point. */
  public static synchronized void install() {
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
  }
}
