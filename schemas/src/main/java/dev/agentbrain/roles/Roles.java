package dev.agentbrain.roles;

import dev.agentbrain.config.Backend;
import java.util.Objects;
import java.util.Optional;

/**
 * Which backend answers queries (the primary) and which one receives the same writes and a sample
 * of the queries to be compared with it (the shadow, if any).
 */
public record Roles(Backend primary, Optional<Backend> shadow) {

  public Roles {
    Objects.requireNonNull(primary, "primary");
    Objects.requireNonNull(shadow, "shadow");
    if (shadow.filter(primary::equals).isPresent()) {
      throw new IllegalArgumentException(
          "the shadow backend must differ from the primary (" + primary.id() + ")");
    }
  }

  /** The roles with primary and shadow exchanged. */
  public Roles swapped() {
    return new Roles(
        shadow.orElseThrow(
            () -> new IllegalStateException("there is no shadow backend to promote")),
        Optional.of(primary));
  }

  /** Whether {@code backend} has a role: it must then be written. */
  public boolean involves(Backend backend) {
    return primary == backend || shadow.filter(backend::equals).isPresent();
  }

  @Override
  public String toString() {
    return "primary " + primary.id() + ", shadow " + shadow.map(Backend::id).orElse("none");
  }
}
