/**
 * The roles of the backends: which one answers queries (the primary) and which one receives the
 * same writes to be compared with it (the shadow), kept in the schema registry with their history
 * and read by every process with a short cache.
 */
package dev.agentbrain.roles;
