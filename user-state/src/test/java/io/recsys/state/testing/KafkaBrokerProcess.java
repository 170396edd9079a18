package io.recsys.state.testing;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node Apache Kafka (KRaft: broker and controller in one process) in a JVM of its
 * own, from the Kafka server jars on the test classpath ({@code org.apache.kafka:kafka_2.13}):
 * storage formatted with {@code kafka.tools.StorageTool}, then {@code kafka.Kafka} started, as the
 * Kafka distribution's scripts do.
 */
public final class KafkaBrokerProcess implements AutoCloseable {

  private final Path dir;
  private final int port;
  private final Process process;

  private KafkaBrokerProcess(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  public static KafkaBrokerProcess start() throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("recsys-kafka");
    int port = freePort();
    int controller = freePort();
    Path config = dir.resolve("server.properties");
    Files.writeString(config, String.join("\n",
        "process.roles=broker,controller",
        "node.id=1",
        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
        "controller.listener.names=CONTROLLER",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "controller.quorum.voters=1@127.0.0.1:" + controller,
        "log.dirs=" + dir.resolve("data"),
        "offsets.topic.replication.factor=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        "auto.create.topics.enable=false",
        ""));
    Path output = dir.resolve("kafka.out");
    Process format = java("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
        "-c", config.toString()).redirectOutput(output.toFile()).start();
    if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
      format.destroyForcibly();
      throw new IOException("formatting Kafka's storage failed:\n" + Files.readString(output));
    }
    Process broker = java("kafka.Kafka", config.toString())
        .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).start();
    KafkaBrokerProcess kafka = new KafkaBrokerProcess(dir, port, broker);
    kafka.awaitReady(output);
    return kafka;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static ProcessBuilder java(String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx512m", "-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true);
  }

  private void awaitReady(Path output) throws IOException, InterruptedException {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    try (Admin admin = Admin.create(p)) {
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IOException("Kafka exited with " + process.exitValue() + ":\n" + Files.readString(output));
        }
        try {
          if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (Exception notYet) {
          Thread.sleep(200);
        }
      }
    }
    close();
    throw new IOException("Kafka did not start within 120 s:\n" + Files.readString(output));
  }

  public String bootstrap() {
    return "127.0.0.1:" + port;
  }

  /** For --event-log. */
  public String url(String topic) {
    return "kafka://" + bootstrap() + "/" + topic;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    TempDirs.deleteTree(dir);
  }
}
