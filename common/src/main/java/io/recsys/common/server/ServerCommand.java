package io.recsys.common.server;

import java.io.IOException;

/**
 * A server's command-line entry: parsed options in, a started server out. The launcher starts
 * servers through it both as separate processes and all three in one process (quickstart).
 */
public interface ServerCommand {

  /** Loads what the server needs and starts it; the returned server owns and closes it all. */
  RecsysServer start() throws IOException;
}
