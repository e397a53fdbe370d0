package dev.agentbrain.storage;

/**
 * A snapshot of a backend's connection pool, for health reports.
 *
 * @param active connections lent out now
 * @param idle connections open and free
 * @param waiting callers waiting for a connection
 * @param max the pool's size
 */
public record PoolStats(int active, int idle, int waiting, int max) {}
