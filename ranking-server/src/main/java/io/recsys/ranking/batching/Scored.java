package io.recsys.ranking.batching;

/**
 * The scores of one request's rows.
 *
 * @param batchRows rows in the model call that scored them (the largest chunk for a request that
 *     was split)
 */
public record Scored(float[] scores, int batchRows) {}
