package io.recsys.gateway.pipeline;

/**
 * What every pipeline component has: a short name, used in metrics ({@code stage.<kind>:<name>.*}),
 * in the debug block of a response and in degraded reasons.
 */
public interface PipelineComponent {
  String name();
}
