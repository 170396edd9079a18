package io.recsys.common.server;

/** What a server reports about the model bundle it serves. */
public record BundleInfo(String version, String path) {
  public static final BundleInfo NONE = new BundleInfo("", "");
}
