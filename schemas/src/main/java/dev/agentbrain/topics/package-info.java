/**
 * The Kafka topics of the pipeline ({@code Topics}: every topic defined in one place), their
 * creation, the Avro serdes of their events (through the schema registry, or local for state
 * stores) and what any process can read of how far a consumer group or a sink has got.
 */
package dev.agentbrain.topics;
