package dev.agentbrain.topics;

import dev.agentbrain.registry.RegistryClient;

/**
 * The compatibility rule for event schemas. The serdes register each topic's value schema on first
 * use (group {@value #GROUP}, artifact {@code <topic>-value}); the registry-wide rule makes every
 * new version BACKWARD compatible, so a consumer on the new schema can still read every event
 * written with an older one, and a producer with an incompatible schema is refused before it
 * writes.
 */
public final class EventSchemas {

  /** The group the serdes' default strategy registers topic schemas in. */
  public static final String GROUP = "default";

  public static final String COMPATIBILITY = "BACKWARD";

  private EventSchemas() {}

  /** Sets the registry-wide compatibility rule; safe to call on every start. */
  public static void enforceCompatibility(RegistryClient registry) {
    registry.ensureGlobalCompatibility(COMPATIBILITY);
  }
}
