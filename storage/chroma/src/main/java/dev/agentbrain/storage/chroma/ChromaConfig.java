package dev.agentbrain.storage.chroma;

import dev.agentbrain.config.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link ChromaClient} reaches a Chroma server (HTTP API v2).
 *
 * @param baseUrl e.g. {@code http://127.0.0.1:18000}, without {@code /api/v2}
 * @param tenant Chroma tenant, {@code default_tenant} unless the server was set up otherwise
 * @param database Chroma database inside the tenant, usually {@code default_database}
 * @param requestTimeout longest wait for one response
 * @param efSearch HNSW search list size of collections this client creates ({@code
 *     configuration.hnsw.ef_search}, 1 to 1000); Chroma keeps it per collection, so an existing
 *     collection keeps the value it was created with
 * @param token sent in the {@value #TOKEN_HEADER} header of every request (Chroma Cloud, or a
 *     server behind a proxy that checks it); empty sends none. Never shown by {@link #toString}
 */
public record ChromaConfig(
    URI baseUrl,
    String tenant,
    String database,
    Duration requestTimeout,
    int efSearch,
    String token) {

  /** The header Chroma's clients send a static token in. */
  public static final String TOKEN_HEADER = "X-Chroma-Token";

  public static final String DEFAULT_TENANT = "default_tenant";
  public static final String DEFAULT_DATABASE = "default_database";
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);

  public ChromaConfig {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(token, "token");
    if (efSearch < 1 || efSearch > 1000) {
      throw new IllegalArgumentException("efSearch must be 1..1000, not " + efSearch);
    }
    if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())) {
      throw new IllegalArgumentException("the Chroma URL must be http(s), not " + baseUrl);
    }
    String url = baseUrl.toString();
    if (url.endsWith("/")) {
      baseUrl = URI.create(url.substring(0, url.length() - 1));
    }
  }

  /**
   * The server at {@code baseUrl}, default tenant and database, 30 s per request, and the {@code
   * ef_search} that {@link Settings#EF_SEARCH} takes when it is not set (PostgreSQL's too).
   */
  public static ChromaConfig of(URI baseUrl) {
    return of(baseUrl, Settings.EF_SEARCH.byDefault());
  }

  /** As {@link #of(URI)}, with collections created with this {@code ef_search}. */
  public static ChromaConfig of(URI baseUrl, int efSearch) {
    return new ChromaConfig(
        baseUrl, DEFAULT_TENANT, DEFAULT_DATABASE, DEFAULT_REQUEST_TIMEOUT, efSearch, "");
  }

  /** This configuration, sending {@code token} with every request (none when empty). */
  public ChromaConfig withToken(String token) {
    return new ChromaConfig(baseUrl, tenant, database, requestTimeout, efSearch, token);
  }

  @Override
  public String toString() {
    return "ChromaConfig[baseUrl=%s, tenant=%s, database=%s, requestTimeout=%s, efSearch=%d, token=%s]"
        .formatted(
            baseUrl, tenant, database, requestTimeout, efSearch, token.isEmpty() ? "none" : "****");
  }
}
