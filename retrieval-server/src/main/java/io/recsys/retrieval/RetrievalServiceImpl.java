package io.recsys.retrieval;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.recsys.api.v1.Candidate;
import io.recsys.api.v1.ListSourcesRequest;
import io.recsys.api.v1.ListSourcesResponse;
import io.recsys.api.v1.RetrievalServiceGrpc;
import io.recsys.api.v1.RetrieveRequest;
import io.recsys.api.v1.RetrieveResponse;
import io.recsys.common.index.ScoredItems;
import io.recsys.common.reload.BundleHolder;
import io.recsys.retrieval.bundle.RetrievalBundle;
import io.recsys.retrieval.request.RetrieveRequestReader;
import io.recsys.retrieval.request.RetrieveRequestReader.Retrieval;
import io.recsys.retrieval.source.CandidateSource;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The RetrievalService API: finds the named source of the current bundle and asks it. */
public final class RetrievalServiceImpl extends RetrievalServiceGrpc.RetrievalServiceImplBase {

  /** The bundle in service; a request keeps the one it started with while a newer one is swapped in. */
  private final BundleHolder<RetrievalBundle> bundle;
  private final RetrieveRequestReader requests;

  public RetrievalServiceImpl(BundleHolder<RetrievalBundle> bundle, int maxK) {
    this.bundle = bundle;
    this.requests = new RetrieveRequestReader(maxK);
  }

  @Override
  public void retrieve(RetrieveRequest request, StreamObserver<RetrieveResponse> out) {
    try (BundleHolder.Lease<RetrievalBundle> lease = bundle.acquire()) {
      RetrievalBundle b = lease.get();
      CandidateSource source = b.source(request.getSource()).orElseThrow(() ->
          Status.NOT_FOUND.withDescription("no candidate source '" + request.getSource()
              + "'; this server has " + b.sourceNames()).asRuntimeException());
      Retrieval r = requests.read(request, b.items(), b.users(), System.currentTimeMillis());
      ScoredItems hits = source.retrieve(r.query(), r.k(),
          b.including(b.excluding(r.excluded()), r.includeCategories()));
      RetrieveResponse.Builder response = RetrieveResponse.newBuilder()
          .setSource(source.name())
          .setModelVersion(b.version());
      for (int i = 0; i < hits.size(); i++) {
        response.addCandidates(Candidate.newBuilder()
            .setItemId(b.candidates().id(hits.items()[i]))
            .setScore(hits.scores()[i]));
      }
      out.onNext(response.build());
      out.onCompleted();
    } catch (IOException e) {
      // thrown on, like any failure: ErrorMapping answers INTERNAL and logs it
      throw new UncheckedIOException("source '" + request.getSource() + "' failed", e);
    }
  }

  @Override
  public void listSources(ListSourcesRequest request, StreamObserver<ListSourcesResponse> out) {
    out.onNext(ListSourcesResponse.newBuilder().addAllSources(bundle.read(RetrievalBundle::sourceNames)).build());
    out.onCompleted();
  }
}
