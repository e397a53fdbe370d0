package dev.agentbrain.query;

/**
 * Told about every search the service answered (e.g. to mirror a sample to a shadow backend).
 * Called on the request's thread after the response is built: an implementation must return quickly
 * (hand work to its own executor) and must not throw.
 */
@FunctionalInterface
public interface SearchObserver {
  void searched(SearchRequest request, QueryResponse response);
}
