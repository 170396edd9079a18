package io.recsys.cli;

import io.recsys.gateway.GatewayServerCommand;
import io.recsys.ranking.RankingServerCommand;
import io.recsys.retrieval.RetrievalServerCommand;
import picocli.CommandLine.Command;

/** {@code serve retrieval|ranking|gateway}: each server's own command, run in this process. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Run one server in the foreground until Ctrl-C / SIGTERM.",
    subcommands = {RetrievalServerCommand.class, RankingServerCommand.class, GatewayServerCommand.class})
final class ServeCommand {}
