package dev.agentbrain.roles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentbrain.config.Backend;
import dev.agentbrain.registry.RegistryClient;
import dev.agentbrain.testing.LocalServices;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Backend roles kept in the real Apicurio Registry. */
class BackendRolesIT {

  private static final Roles CONFIGURED = new Roles(Backend.POSTGRES, Optional.of(Backend.CHROMA));

  private RegistryClient registry;
  private String namespace;
  private BackendRoles roles;

  @BeforeEach
  void connect() {
    registry = new RegistryClient(LocalServices.requireRegistry());
    namespace = "it-" + UUID.randomUUID();
    roles = new BackendRoles(registry, namespace, CONFIGURED);
  }

  @AfterEach
  void forget() {
    roles.forget();
  }

  @Test
  @DisplayName(
      "the configured roles hold until a promotion, which every reader then sees, with its history")
  void promotionSwapsRolesForEveryReader() {
    assertThat(roles.current()).isEqualTo(CONFIGURED);
    assertThat(roles.history()).isEmpty();

    Roles promoted = roles.promote("shadow report looked good");

    Roles swapped = new Roles(Backend.CHROMA, Optional.of(Backend.POSTGRES));
    assertThat(promoted).isEqualTo(swapped);
    // another process, configured the old way, reads the shared state
    assertThat(new BackendRoles(registry, namespace, CONFIGURED).current()).isEqualTo(swapped);
    assertThat(roles.history())
        .extracting(BackendRoles.Change::roles, BackendRoles.Change::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(CONFIGURED, "configured"),
            org.assertj.core.groups.Tuple.tuple(swapped, "shadow report looked good"));
    assertThat(roles.promote("back")).isEqualTo(CONFIGURED);
  }

  @Test
  @DisplayName("live roles see a promotion once their cache time has passed")
  void liveRolesFollowWithinTheirCacheTime() {
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    MutableClock clock = new MutableClock(start);
    LiveRoles live = new LiveRoles(roles, Duration.ofSeconds(2), clock);
    assertThat(live.get()).isEqualTo(CONFIGURED);

    roles.promote("test");
    assertThat(live.get()).as("within the cache time").isEqualTo(CONFIGURED);
    clock.now = start.plusSeconds(3);
    assertThat(live.get().primary()).isEqualTo(Backend.CHROMA);
  }

  @Test
  @DisplayName("without a shadow there is nothing to promote")
  void noShadowNoPromotion() {
    BackendRoles alone =
        new BackendRoles(registry, namespace, new Roles(Backend.POSTGRES, Optional.empty()));
    assertThatThrownBy(() -> alone.promote("x"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no shadow");
  }

  private static final class MutableClock extends Clock {
    volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
