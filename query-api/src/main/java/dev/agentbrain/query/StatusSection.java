package dev.agentbrain.query;

import java.util.Optional;

/**
 * A part of the service's status that a feature contributes (e.g. reindex progress, shadow
 * agreement): shown under {@link #name()} in {@code GET /health/status}, and per index in {@code
 * GET /indexes/{name}}. Implementations are called on request threads: they must be quick and
 * thread-safe, return JSON-serialisable values, and never throw.
 */
public interface StatusSection {

  /** The key it appears under, e.g. {@code "reindex"}. */
  String name();

  /** The section's value in {@code /health/status}. */
  Object status();

  /** The section's value for one logical index in {@code /indexes/{name}}; empty leaves it out. */
  default Optional<Object> indexStatus(String index) {
    return Optional.empty();
  }
}
