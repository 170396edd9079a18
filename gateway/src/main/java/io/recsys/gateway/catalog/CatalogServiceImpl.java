package io.recsys.gateway.catalog;

import io.grpc.stub.StreamObserver;
import io.recsys.api.v1.CatalogItem;
import io.recsys.api.v1.CatalogServiceGrpc;
import io.recsys.api.v1.DeleteItemsRequest;
import io.recsys.api.v1.DeleteItemsResponse;
import io.recsys.api.v1.UpsertItemsRequest;
import io.recsys.api.v1.UpsertItemsResponse;
import io.recsys.common.catalog.LiveCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The CatalogService admin API: checks a call, appends it to the catalog log (durable on return)
 * and applies it to this gateway's live catalog at once; the retrieval and ranking servers tail the
 * same log.
 */
public final class CatalogServiceImpl extends CatalogServiceGrpc.CatalogServiceImplBase {

  private final LiveCatalog live;

  public CatalogServiceImpl(LiveCatalog live) {
    this.live = live;
  }

  @Override
  public void upsertItems(UpsertItemsRequest request, StreamObserver<UpsertItemsResponse> out) {
    long now = System.currentTimeMillis();
    List<CatalogItem> items = CatalogRequests.upserts(request, now);
    try {
      long sequence = live.upsert(items, now);
      out.onNext(UpsertItemsResponse.newBuilder().setUpserted(items.size()).setLogSequence(sequence).build());
      out.onCompleted();
    } catch (IOException e) {
      // ErrorMapping answers INTERNAL and logs it: nothing was acknowledged
      throw new UncheckedIOException("appending to the catalog log " + live.log().describe() + " failed", e);
    }
  }

  @Override
  public void deleteItems(DeleteItemsRequest request, StreamObserver<DeleteItemsResponse> out) {
    List<String> ids = CatalogRequests.deletes(request);
    try {
      long sequence = live.delete(ids, System.currentTimeMillis());
      out.onNext(DeleteItemsResponse.newBuilder().setDeleted(ids.size()).setLogSequence(sequence).build());
      out.onCompleted();
    } catch (IOException e) {
      throw new UncheckedIOException("appending to the catalog log " + live.log().describe() + " failed", e);
    }
  }
}
