/**
 * Indexing jobs asked of the query service: publish a folder of its machine, add documents, remove
 * a folder ({@code IndexingJobs}, behind the HTTP routes under {@code /index} and the MCP tools).
 * Jobs are kept in a compacted Kafka topic that every replica follows, so any replica answers for
 * any job; {@code Searchability} tells when each backend serves what a job published.
 */
package dev.agentbrain.jobs;
