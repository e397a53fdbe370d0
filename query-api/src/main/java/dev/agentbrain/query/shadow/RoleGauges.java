package dev.agentbrain.query.shadow;

import dev.agentbrain.config.Backend;
import dev.agentbrain.roles.Roles;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/**
 * {@code agentbrain_backend_role{backend, role}}: 1 for the role each backend has now, 0 otherwise
 * (NaN while the roles cannot be read), so a dashboard can tell the shadow's lag and errors, kept
 * per backend, from the primary's.
 */
public final class RoleGauges {

  private RoleGauges() {}

  /** Registers the gauges; {@code roles} is read at each scrape (give it a cache). */
  public static void register(MeterRegistry meters, Supplier<Roles> roles) {
    for (Backend backend : Backend.values()) {
      for (String role : new String[] {"primary", "shadow"}) {
        Gauge.builder("agentbrain.backend.role", roles, r -> has(r, backend, role))
            .description("1 when the backend has the role now")
            .tags("backend", backend.id(), "role", role)
            .strongReference(true) // the caller need not keep the supplier
            .register(meters);
      }
    }
  }

  private static double has(Supplier<Roles> roles, Backend backend, String role) {
    try {
      Roles current = roles.get();
      boolean has =
          role.equals("primary")
              ? current.primary() == backend
              : current.shadow().filter(backend::equals).isPresent();
      return has ? 1 : 0;
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }
}
