package dev.agentbrain.storage.postgres;

import dev.agentbrain.config.Secrets;
import dev.agentbrain.config.Settings;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link PostgresStore} reaches PostgreSQL.
 *
 * @param jdbcUrl e.g. {@code jdbc:postgresql://127.0.0.1:5432/agentbrain}
 * @param user database user
 * @param password its password ({@code ""} for trust authentication); never shown by {@link
 *     #toString()}
 * @param maxPoolSize most connections the store opens, 1 to 100
 * @param connectionTimeout how long a call waits for a connection before it fails as unavailable
 * @param efSearch HNSW candidate list size of a vector search (pgvector's {@code hnsw.ef_search}, 1
 *     to 1000): higher finds more true neighbours and costs more; raised to {@code topK} when a
 *     query asks for more hits
 */
public record PostgresConfig(
    String jdbcUrl,
    String user,
    String password,
    int maxPoolSize,
    Duration connectionTimeout,
    int efSearch) {

  public static final int DEFAULT_MAX_POOL_SIZE = 4;
  public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(10);

  public PostgresConfig {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(connectionTimeout, "connectionTimeout");
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("a PostgreSQL JDBC URL starts with jdbc:postgresql:");
    }
    if (maxPoolSize < 1 || maxPoolSize > 100) {
      throw new IllegalArgumentException("maxPoolSize must be 1..100, not " + maxPoolSize);
    }
    if (connectionTimeout.toMillis() < 250) {
      throw new IllegalArgumentException("connectionTimeout must be at least 250 ms");
    }
    if (efSearch < 1 || efSearch > 1000) {
      throw new IllegalArgumentException("efSearch must be 1..1000, not " + efSearch);
    }
  }

  /**
   * The given server with the default pool size and timeout, and the {@code ef_search} that {@link
   * Settings#EF_SEARCH} takes when it is not set.
   */
  public static PostgresConfig of(String jdbcUrl, String user, String password) {
    return new PostgresConfig(
        jdbcUrl,
        user,
        password,
        DEFAULT_MAX_POOL_SIZE,
        DEFAULT_CONNECTION_TIMEOUT,
        Settings.EF_SEARCH.byDefault());
  }

  /** The same server and pool with another {@code ef_search}. */
  public PostgresConfig withEfSearch(int candidates) {
    return new PostgresConfig(jdbcUrl, user, password, maxPoolSize, connectionTimeout, candidates);
  }

  @Override
  public String toString() {
    return "PostgresConfig[jdbcUrl=%s, user=%s, password=%s, maxPoolSize=%d, connectionTimeout=%s, efSearch=%d]"
        .formatted(
            Secrets.maskUrls(jdbcUrl),
            user,
            password.isEmpty() ? "" : "****",
            maxPoolSize,
            connectionTimeout,
            efSearch);
  }
}
