package io.recsys.common.server;

import io.recsys.common.logging.JulBridge;
import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * A server's command-line entry: parsed options in, a started server out. The launcher starts
 * servers through it both as separate processes and all three in one process (quickstart).
 */
public interface ServerCommand extends Callable<Integer> {

  /** Loads what the server needs and starts it; the returned server owns and closes it all. */
  RecsysServer start() throws IOException;

  /** Serves in the foreground until the JVM is asked to stop. */
  @Override
  default Integer call() throws Exception {
    JulBridge.install();
    RecsysServer.loadClassesInBackground();
    start().serveUntilShutdown();
    return 0;
  }
}
