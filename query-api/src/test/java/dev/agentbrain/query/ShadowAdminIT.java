package dev.agentbrain.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentbrain.config.Backend;
import dev.agentbrain.query.shadow.ReconciliationLog;
import dev.agentbrain.query.shadow.ShadowMode;
import dev.agentbrain.registry.RegistryClient;
import dev.agentbrain.roles.Roles;
import dev.agentbrain.testing.LocalServices;
import dev.agentbrain.topics.SinkLag;
import dev.agentbrain.topics.Topics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Shadow mode inside the query API, with auth on, against the real services. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShadowAdminIT {

  private static final String TOKEN = "read-token-s";
  private static final String ADMIN = "admin-token-s";

  private final AtomicReference<Roles> roles =
      new AtomicReference<>(new Roles(Backend.POSTGRES, Optional.of(Backend.CHROMA)));
  private ServedIndex served;
  private ShadowMode shadow;
  private QueryServer server;
  private Http reader;
  private Http admin;
  private Http anonymous;

  @BeforeAll
  void serve() {
    served = ServedIndex.create("shadowadmin");
    String namespace = "shadowadmin-" + UUID.randomUUID();
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    shadow =
        new ShadowMode(
            roles::get,
            1.0,
            8,
            new SinkLag(
                LocalServices.requireKafka(),
                new Topics(
                    namespace,
                    1,
                    new dev.agentbrain.topics.EventSerdes(LocalServices.requireRegistry()))),
            new ReconciliationLog(new RegistryClient(LocalServices.requireRegistry()), namespace),
            meters);
    server =
        served.serve(
            b ->
                b.auth(ApiAuth.of(TOKEN, ADMIN))
                    .primaryFrom(() -> roles.get().primary())
                    .meters(meters)
                    .routes(shadow.routes())
                    .status(shadow.status()));
    server.search().observe(shadow.observer(server.search()));
    reader = new Http(server.port(), TOKEN);
    admin = new Http(server.port(), ADMIN);
    anonymous = new Http(server.port(), null);
  }

  @AfterAll
  void stop() {
    if (server != null) server.close();
    if (shadow != null) shadow.close();
    if (served != null) served.close();
  }

  @Test
  @DisplayName("GET /admin/shadow needs the admin token")
  void reportIsForAdmins() {
    assertThat(anonymous.get("/admin/shadow").status()).isEqualTo(401);
    assertThat(reader.get("/admin/shadow").status()).isEqualTo(403);
    Http.Answer report = admin.get("/admin/shadow");
    assertThat(report.status()).isEqualTo(200);
    assertThat(report.json().path("roles").path("shadow").asText()).isEqualTo("chroma");
  }

  @Test
  @DisplayName("a reader's query is mirrored to the shadow and the two answers are compared")
  void readerQueriesAreMirrored() {
    Http.Answer answer =
        reader.get("/query?index=" + served.index + "&q=retry+with+backoff&top_k=3");
    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().path("backend").asText()).isEqualTo("postgres");

    // the window starts afresh whenever the roles change, as another test here makes them do
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                admin
                    .get("/admin/shadow")
                    .json()
                    .path("worst_queries")
                    .findValuesAsText("query")
                    .contains("retry with backoff"));
    Http.Answer report = admin.get("/admin/shadow");
    assertThat(report.json().path("by_mode").path("vector").path("overlap_mean").asDouble())
        .isEqualTo(1.0);
    assertThat(report.json().path("worst_queries").get(0).path("primary_backend").asText())
        .isEqualTo("postgres");
  }

  @Test
  @DisplayName("when the roles change, the next query is answered by the new primary")
  void rolesAreReadPerRequest() {
    roles.set(new Roles(Backend.CHROMA, Optional.of(Backend.POSTGRES)));
    try {
      Http.Answer answer = reader.get("/query?index=" + served.index + "&q=retry&top_k=3");
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.json().path("backend").asText()).isEqualTo("chroma");
      assertThat(admin.get("/metrics").body())
          .contains("agentbrain_backend_role{backend=\"chroma\",role=\"primary\"} 1.0");
      assertThat(
              admin
                  .get("/health/status")
                  .json()
                  .path("shadow")
                  .path("roles")
                  .path("primary")
                  .asText())
          .isEqualTo("chroma");
    } finally {
      roles.set(new Roles(Backend.POSTGRES, Optional.of(Backend.CHROMA)));
    }
  }
}
