package io.recsys.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.api.v1.RecommendRequest;
import io.recsys.api.v1.RecommenderServiceGrpc;
import io.recsys.client.RecsysClient;
import io.recsys.common.security.TestPki;
import io.recsys.common.server.RecsysServer;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README.md's "Calling it" as a new user meets it: the dependency block and the Java client built as
 * a Maven project of their own (offline, against the installed artifacts) and run against three real
 * servers; every grpcurl line of the README run against them too.
 */
class ReadmeClientTest extends RunningSystemTest {

  /** The README's ports: the servers' defaults. */
  private static final String GATEWAY = "localhost:50050";

  @Test
  void theReadmesJavaClientBuildsAsItsOwnProjectAndRecommends(@TempDir Path project) throws Exception {
    String dependency = Readme.block("client-dependency");
    installedArtifactsAreThisBuild(dependency);
    String main = Readme.block("client-main");
    assertThat(main).as("the README's client calls the gateway's default address").containsOnlyOnce('"' + GATEWAY + '"');

    Path sources = Files.createDirectories(project.resolve("src/main/java"));
    Files.writeString(sources.resolve("Main.java"), main.replace(GATEWAY, "localhost:" + system.gateway.port()));
    Files.writeString(project.resolve("pom.xml"), pom(dependency));
    run(project, 300, Readme.ROOT.resolve("mvnw").toString(), "-o", "-B", "-q",
        "compile", "dependency:build-classpath", "-Dmdep.outputFile=classpath.txt");
    String classpath = "target/classes" + File.pathSeparator + Files.readString(project.resolve("classpath.txt")).strip();

    warmUpTheGateway();
    String out = run(project, 60, Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classpath, "Main");
    List<String> lines = out.lines().toList();
    assertThat(lines).as(out).hasSize(10)
        .allSatisfy(l -> assertThat(l).matches("i\\d{5} -?[0-9.E-]+ \\[[a-z0-9_, ]+\\]"));
  }

  @Test
  void everyGrpcurlLineOfTheReadmeWorks(@TempDir Path work) throws Exception {
    List<String> lines = Readme.commandsStartingWith("grpcurl ");
    assertThat(lines).as("grpcurl lines in README.md").isNotEmpty();
    // the README's TLS example: a gateway with the public certificate its CA signed, the admin API on
    // its own port behind a token, file names as the README has them (relative to where grpcurl runs)
    TestPki pki = TestPki.ca("readme-ca");
    pki.writeCa(work.resolve("pki/ca.crt"));
    TestPki.Issued publicCert = pki.issue("gateway-public", work.resolve("pki"));
    String token = java.util.HexFormat.of().formatHex(java.security.SecureRandom.getSeed(24));
    Map<String, String> env = Map.of("RECSYS_ADMIN_TOKEN", token);
    try (RecsysServer tlsGateway = system.startGateway("--event-log", "file:" + work.resolve("events"),
        "--tls-cert", publicCert.cert().toString(),
        "--tls-key", publicCert.key().toString(), "--admin-port", "0", "--admin-token", token)) {
      Map<String, String> servers = Map.of(
          GATEWAY, "localhost:" + system.gateway.port(),
          "localhost:50051", "localhost:" + system.retrieval.port(),
          "localhost:50052", "localhost:" + system.ranking.port(),
          "localhost:50060", "localhost:" + tlsGateway.adminPort());
      String version = system.fixture.bundleDir().getFileName().toString();
      // what these methods' answers must show, so a line that "works" but answers nothing useful
      // fails; any other method must answer (a JSON object)
      Map<String, String> shows = Map.of(
          "Recommend", "\"i0", "Feedback", "{", "Check", "SERVING", "GetStatus", version);
      warmUpTheGateway();
      boolean realGrpcurl = onPath("grpcurl");
      for (String line : lines) {
        ReflectiveGrpcurl.Command c = ReflectiveGrpcurl.Command.parse(line, env);
        String address = servers.get(c.address());
        assertThat(address).as("%s calls a port this test does not serve as the README does", line).isNotNull();
        String out = realGrpcurl
            ? run(work, 60, env, "bash", "-c", line.replace(c.address(), address))
            : ReflectiveGrpcurl.call(c, address, work);
        assertThat(out).as(line).contains(shows.getOrDefault(c.method(), "{"));
      }
    }
  }

  @Test
  void shellWordsKeepQuotedTextWholeExpandVariablesInDoubleQuotesAndRefuseWhatTheyCannotRun() {
    assertThat(ReflectiveGrpcurl.Command.parse("grpcurl -plaintext -d '{\"k\": 5}' localhost:1 a.b.S/M", Map.of()))
        .isEqualTo(new ReflectiveGrpcurl.Command("localhost:1", "a.b.S", "M", "{\"k\": 5}", null, List.of()));
    assertThat(ReflectiveGrpcurl.Command.parse(
        "grpcurl -cacert ca.crt -H \"authorization: Bearer $T\" localhost:1 a.S/M", Map.of("T", "abc")))
        .isEqualTo(new ReflectiveGrpcurl.Command("localhost:1", "a.S", "M", "{}", "ca.crt", List.of("authorization: Bearer abc")));
    assertThatThrownBy(() -> ReflectiveGrpcurl.Command.parse("grpcurl -plaintext -H \"x: $UNSET\" localhost:1 a.S/M", Map.of()))
        .hasMessageContaining("$UNSET is not set");
    assertThatThrownBy(() -> ReflectiveGrpcurl.Command.parse("grpcurl -plaintext -v localhost:1 a.S/M", Map.of()))
        .hasMessageContaining("-v");
    assertThatThrownBy(() -> ReflectiveGrpcurl.Command.parse("grpcurl -plaintext localhost:1 a.S/M | jq .", Map.of()))
        .hasMessageContaining("outside quotes");
    assertThat(ReflectiveGrpcurl.Command.parse("grpcurl -plaintext localhost:1 a.S/M   # add -H \"x: $Y\"", Map.of()))
        .isEqualTo(new ReflectiveGrpcurl.Command("localhost:1", "a.S", "M", "{}", null, List.of()));
  }

  /** The first calls of a cold gateway on a busy machine can take longer than the client's 1 s default deadline. */
  private static void warmUpTheGateway() {
    RecommenderServiceGrpc.RecommenderServiceBlockingStub stub = system.gatewayStub();
    for (int i = 0; i < 5; i++) {
      stub.recommend(RecommendRequest.newBuilder().setUserId("u00001").setK(10).build());
    }
  }

  /**
   * The README's project resolves io.recsys artifacts from ~/.m2: they must be the ones this build
   * made, or the test would prove an older client. A plain {@code ./mvnw verify} installs nothing,
   * so where they are missing or older this installs them (offline: the parent pom, proto, client).
   */
  private static void installedArtifactsAreThisBuild(String dependency) throws IOException, InterruptedException {
    Matcher version = Pattern.compile("<version>([^<]+)</version>").matcher(dependency);
    assertThat(version.find()).as("a version in the README's dependency block").isTrue();
    if (!installedMatchBuild(version.group(1))) {
      run(Readme.ROOT, 300, Readme.ROOT.resolve("mvnw").toString(), "-o", "-B", "-q", "install", "-DskipTests",
          "-pl", ".,proto,client");
      assertThat(installedMatchBuild(version.group(1)))
          .as("~/.m2 holds this build's recsys-proto and recsys-client %s after installing them", version.group(1)).isTrue();
    }
  }

  /** Whether ~/.m2 holds recsys-proto and recsys-client VERSION with the classes this test runs with. */
  private static boolean installedMatchBuild(String version) throws IOException {
    Path repo = Path.of(System.getProperty("user.home"), ".m2", "repository", "io", "recsys");
    Map<String, Class<?>> classOf = Map.of(
        "recsys-client", RecsysClient.class, "recsys-proto", RecommenderServiceGrpc.class);
    for (var e : classOf.entrySet()) {
      Path jar = repo.resolve(e.getKey()).resolve(version).resolve(e.getKey() + "-" + version + ".jar");
      if (!Files.exists(jar)) {
        return false;
      }
      String entry = e.getValue().getName().replace('.', '/') + ".class";
      try (ZipFile zip = new ZipFile(jar.toFile())) {
        if (zip.getEntry(entry) == null) {
          return false;
        }
        try (InputStream installed = zip.getInputStream(zip.getEntry(entry));
             InputStream built = e.getValue().getClassLoader().getResourceAsStream(entry)) {
          if (!java.util.Arrays.equals(installed.readAllBytes(), built.readAllBytes())) {
            return false;
          }
        }
      }
    }
    return true;
  }

  /** A user's pom: the README's dependency block, plus the plugin versions this build uses (so ~/.m2 has them offline). */
  private static String pom(String dependency) throws IOException {
    String parent = Files.readString(Readme.ROOT.resolve("pom.xml"));
    StringBuilder plugins = new StringBuilder();
    for (String plugin : List.of("maven-compiler-plugin", "maven-resources-plugin", "maven-dependency-plugin")) {
      Matcher m = Pattern.compile("<artifactId>" + plugin + "</artifactId>\\s*<version>([^<]+)</version>").matcher(parent);
      assertThat(m.find()).as("%s's version in the parent pom", plugin).isTrue();
      plugins.append("      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>").append(plugin)
          .append("</artifactId><version>").append(m.group(1)).append("</version></plugin>\n");
    }
    return """
        <?xml version="1.0" encoding="UTF-8"?>
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>example</groupId>
          <artifactId>readme-client</artifactId>
          <version>1</version>
          <properties>
            <maven.compiler.release>21</maven.compiler.release>
            <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
          </properties>
          <dependencies>
        %s  </dependencies>
          <build>
            <plugins>
        %s    </plugins>
          </build>
        </project>
        """.formatted(dependency.indent(4), plugins);
  }

  /** Runs a command in dir; its stdout, or a failure with stdout and stderr (output goes to files, so a hung command times out). */
  private static String run(Path dir, int timeoutS, String... command) throws IOException, InterruptedException {
    return run(dir, timeoutS, Map.of(), command);
  }

  private static String run(Path dir, int timeoutS, Map<String, String> env, String... command)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("readme-client", ".out");
    Path err = Files.createTempFile("readme-client", ".err");
    try {
      ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
      pb.environment().putAll(env);
      Process p = pb.start();
      boolean done = p.waitFor(timeoutS, TimeUnit.SECONDS);
      if (!done) {
        p.destroyForcibly().waitFor();
      }
      String stdout = Files.readString(out);
      assertThat(done && p.exitValue() == 0).as("%s (%s)\nstdout:\n%s\nstderr:\n%s", String.join(" ", command),
          done ? "exit " + p.exitValue() : "timed out after " + timeoutS + " s", stdout, Files.readString(err)).isTrue();
      return stdout;
    } finally {
      Files.delete(out);
      Files.delete(err);
    }
  }

  private static boolean onPath(String program) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
