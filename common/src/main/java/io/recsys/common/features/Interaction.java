package io.recsys.common.features;

import io.recsys.api.v1.EventType;

/** A user event resolved against the catalog: the item's dense index instead of its external id. */
public record Interaction(int itemIndex, EventType type, long timestampMs, double value) {}
