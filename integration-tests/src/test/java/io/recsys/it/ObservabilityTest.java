package io.recsys.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.recsys.api.v1.RecommendRequest;
import io.recsys.api.v1.RecommendResponse;
import io.recsys.common.metrics.ScrapedMetrics;
import io.recsys.models.testing.TestBundles;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The three real servers with their metrics endpoints and tracing on (an in-memory exporter):
 * real Recommend calls, then what an operator would see: the scraped series and one trace per
 * request across the gateway, retrieval and ranking.
 */
class ObservabilityTest {

  static final String CALLS = "grpc_server_call_duration_seconds_count";

  static final InMemorySpanExporter spans = InMemorySpanExporter.create();
  static OpenTelemetrySdk otel;
  static RunningSystem system;
  static int[] metricsPorts;

  @BeforeAll
  static void start() throws Exception {
    otel = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();
    // what the OpenTelemetry Java agent does; the servers take the global one when it is set
    GlobalOpenTelemetry.resetForTest();
    GlobalOpenTelemetry.set(otel);
    metricsPorts = new int[] {freePort(), freePort(), freePort()};
    system = new RunningSystem(TestBundles.small().bundleDir(), metricsPorts);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      system.close();
    } finally {
      GlobalOpenTelemetry.resetForTest();
      otel.close();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static ScrapedMetrics scrape(int server) throws Exception {
    return ScrapedMetrics.fetch("localhost", metricsPorts[server]);
  }

  RecommendRequest request(int user) {
    return RecommendRequest.newBuilder().setUserId(system.fixture.dataset().userIds().get(user)).setK(10).build();
  }

  @Test
  void oneRecommendIsOneTraceAcrossTheThreeServers() {
    spans.reset();
    RecommendResponse r = system.gatewayStub().recommend(request(0));
    assertThat(r.getDegraded()).isFalse();

    List<SpanData> all = spans.getFinishedSpanItems();
    SpanData recommend = only(all, "recsys.v1.RecommenderService/Recommend", SpanKind.SERVER);
    String trace = recommend.getTraceId();
    assertThat(all).allSatisfy(s -> assertThat(s.getTraceId()).as(s.getName()).isEqualTo(trace));
    // the three candidate sources ask the retrieval server; each server span is the child of the gateway's call
    List<SpanData> retrieveServer = of(all, "recsys.v1.RetrievalService/Retrieve", SpanKind.SERVER);
    List<SpanData> retrieveClient = of(all, "recsys.v1.RetrievalService/Retrieve", SpanKind.CLIENT);
    assertThat(retrieveServer).hasSize(3);
    assertThat(retrieveServer.stream().map(SpanData::getParentSpanId).collect(Collectors.toSet()))
        .isEqualTo(retrieveClient.stream().map(SpanData::getSpanId).collect(Collectors.toSet()));
    SpanData rank = only(all, "recsys.v1.RankingService/Rank", SpanKind.SERVER);
    assertThat(rank.getParentSpanId()).isEqualTo(only(all, "recsys.v1.RankingService/Rank", SpanKind.CLIENT).getSpanId());
    assertThat(rank.getAttributes().asMap().toString()).contains("recsys.server=ranking");
    // the pipeline's stages are spans under the Recommend call
    Set<String> stages = all.stream().filter(s -> s.getParentSpanId().equals(recommend.getSpanId())
        && s.getKind() == SpanKind.INTERNAL).map(SpanData::getName).collect(Collectors.toSet());
    assertThat(stages).contains("source:two_tower", "source:popular", "source:item2item", "merge", "scorer:ranking",
        "selector:top_k");
  }

  @Test
  void aCallersTraceContextIsContinued() {
    spans.reset();
    String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER),
        "00-" + trace + "-00f067aa0ba902b7-01");
    system.gatewayStub().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers)).recommend(request(1));
    SpanData recommend = only(spans.getFinishedSpanItems(), "recsys.v1.RecommenderService/Recommend", SpanKind.SERVER);
    assertThat(recommend.getTraceId()).isEqualTo(trace);
    assertThat(recommend.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(spans.getFinishedSpanItems()).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(trace));
  }

  @Test
  void theEndpointsCountWhatWasCalled() throws Exception {
    ScrapedMetrics[] before = {scrape(0), scrape(1), scrape(2)};
    int calls = 5;
    for (int i = 0; i < calls; i++) {
      assertThat(system.gatewayStub().recommend(request(i)).getDegraded()).isFalse();
    }
    assertThatThrownBy(() -> system.gatewayStub().recommend(request(0).toBuilder().setK(0).build()))
        .isInstanceOf(StatusRuntimeException.class);
    ScrapedMetrics[] after = {scrape(0), scrape(1), scrape(2)};

    // gateway: the RPC histogram by status code, every stage, whole answers
    String[] recommendOk = {"method", "Recommend", "code", "OK"};
    assertThat(delta(before[2], after[2], CALLS, recommendOk)).isEqualTo(calls);
    assertThat(delta(before[2], after[2], CALLS, "method", "Recommend", "code", "INVALID_ARGUMENT")).isEqualTo(1);
    assertThat(delta(before[2], after[2], "grpc_server_call_duration_seconds_bucket",
        "method", "Recommend", "code", "OK", "le", "+Inf")).isEqualTo(calls);
    for (String stage : List.of("hydrator:recent_history", "source:two_tower", "source:popular", "source:item2item", "merge",
        "scorer:ranking", "selector:top_k")) {
      assertThat(delta(before[2], after[2], "recsys_pipeline_stage_duration_seconds_count", "stage", stage))
          .as(stage).isEqualTo(calls);
    }
    assertThat(delta(before[2], after[2], "recsys_pipeline_stage_candidates_sum", "stage", "selector:top_k"))
        .isEqualTo(calls * 10);
    assertThat(delta(before[2], after[2], "recsys_recommend_answers_total", "degraded", "false")).isEqualTo(calls);
    assertThat(delta(before[2], after[2], "recsys_recommend_answers_total", "degraded", "true")).isZero();

    // retrieval: three sources per Recommend
    assertThat(delta(before[0], after[0], CALLS, "method", "Retrieve", "code", "OK")).isEqualTo(3 * calls);

    // ranking: one Rank per Recommend; every request waited in the batcher's queue once; each
    // model call's rows are in the batch size histogram
    assertThat(delta(before[1], after[1], CALLS, "method", "Rank", "code", "OK")).isEqualTo(calls);
    assertThat(delta(before[1], after[1], "recsys_ranking_queue_wait_seconds_count")).isEqualTo(calls);
    double batches = delta(before[1], after[1], "recsys_ranking_batch_rows_count");
    assertThat(batches).isBetween(1.0, (double) calls);
    assertThat(delta(before[1], after[1], "recsys_ranking_inference_seconds_count")).isEqualTo(batches);
    assertThat(delta(before[1], after[1], "recsys_ranking_batch_rows_sum")).isGreaterThanOrEqualTo(calls * 10);
    assertThat(after[1].has("recsys_ranking_queued_rows")).isTrue();

    String version = system.fixture.bundleDir().getFileName().toString();
    String[] names = {"retrieval", "ranking", "gateway"};
    for (int s = 0; s < 3; s++) {
      assertThat(after[s].sum("recsys_bundle_info", "server", names[s], "version", version)).as(names[s]).isEqualTo(1);
      assertThat(after[s].has("jvm_gc_pause_seconds_count") || after[s].has("jvm_memory_used_bytes")).isTrue();
    }
  }

  private static double delta(ScrapedMetrics before, ScrapedMetrics after, String name, String... labels) {
    return after.sum(name, labels) - before.sum(name, labels);
  }

  private static List<SpanData> of(List<SpanData> spans, String name, SpanKind kind) {
    return spans.stream().filter(s -> s.getName().equals(name) && s.getKind() == kind).toList();
  }

  private static SpanData only(List<SpanData> spans, String name, SpanKind kind) {
    List<SpanData> found = of(spans, name, kind);
    assertThat(found).as(name + " " + kind).hasSize(1);
    return found.get(0);
  }
}
