package io.recsys.gateway;

import io.recsys.common.server.BundleInfo;
import io.recsys.gateway.pipeline.RecommendPipeline;

/**
 * The pipeline built over one bundle's catalog and popularity. A request runs start to end on
 * one of them, also while a newer bundle is swapped in (item indices never mix across bundles).
 */
record ServingPipeline(GatewayBundle bundle, RecommendPipeline pipeline) implements AutoCloseable {

  BundleInfo info() {
    return new BundleInfo(bundle.version(), bundle.layout().dir().toString());
  }

  @Override
  public void close() {
    pipeline.close();
  }
}
