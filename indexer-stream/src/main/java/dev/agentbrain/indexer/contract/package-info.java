/**
 * The embedding contract enforced where vectors are made and stored: the indexer's check at startup
 * that every live index's model and stored index agree with its contract, and the check of each
 * batch's vectors against it (a violation is dead-lettered, never retried).
 */
package dev.agentbrain.indexer.contract;
