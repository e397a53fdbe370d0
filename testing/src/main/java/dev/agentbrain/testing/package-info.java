/**
 * For the integration tests of every module and for the benchmarks: checks that the local services
 * are reachable (failing a test, never skipping it, with how to start them), private copies of a
 * service for tests that stop and restart one, the shared data sets beside the repository ({@code
 * SharedData}, {@code BeirDataset}), BEIR's ranking measures ({@code RankingMetrics}) and
 * concurrent query clients ({@code QueryLoad}), which the quality gate and the {@code bench} module
 * share.
 */
package dev.agentbrain.testing;
