/**
 * The gateway: RecommenderService in front of the retrieval and ranking servers.
 *
 * <p>Where things are:
 * <ul>
 *   <li>the order of a Recommend call, and both fallbacks (no source answered; the ranker failed or
 *       was late): {@link io.recsys.gateway.pipeline.RecommendPipeline}</li>
 *   <li>deadlines (client deadline, per-stage timeouts): {@link io.recsys.gateway.pipeline.RequestDeadline}</li>
 *   <li>stage 1 {@code hydrators/}, 2 {@code sources/}, 3 {@code merge/} (CandidateMerger),
 *       4 {@code filters/}, 5 {@code scoring/}, 6 {@code rerank/}, 7 {@code select/},
 *       8 {@code sideeffects/}</li>
 *   <li>users' recent events: {@code history/}; experiment arms and their metrics: {@code experiment/}</li>
 *   <li>request validation and Feedback: {@link io.recsys.gateway.RecommenderServiceImpl}; wiring:
 *       {@link io.recsys.gateway.Gateway}; flags: {@link io.recsys.gateway.GatewayServerCommand}</li>
 * </ul>
 */
package io.recsys.gateway;
