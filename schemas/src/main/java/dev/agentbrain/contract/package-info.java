/**
 * Embedding contracts: what model, dimensions, metric and chunking each version of a logical index
 * was built with, kept in the schema registry with the index's live version ({@code
 * ContractRegistry}), and read back with a short cache by every process that needs the live one
 * ({@code LiveContracts}).
 */
package dev.agentbrain.contract;
