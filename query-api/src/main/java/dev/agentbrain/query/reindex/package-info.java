/**
 * The {@code reindex} section of the query service's status: for every version newer than an
 * index's live one, how far its reindex has read the document log and how much each backend holds,
 * from what any host can read (Kafka and the backends).
 */
package dev.agentbrain.query.reindex;
