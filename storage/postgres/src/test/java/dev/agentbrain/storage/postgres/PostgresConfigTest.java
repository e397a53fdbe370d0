package dev.agentbrain.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PostgresConfigTest {

  @Test
  @DisplayName("the password never shows in the config's text")
  void passwordIsMasked() {
    PostgresConfig config = PostgresConfig.of("jdbc:postgresql://db/agentbrain", "app", "s3cret");

    assertThat(config.toString()).doesNotContain("s3cret").contains("password=****");
  }

  @Test
  @DisplayName("a URL of another database is refused")
  void otherDatabaseUrlIsRefused() {
    assertThatThrownBy(() -> PostgresConfig.of("jdbc:mysql://db/agentbrain", "app", ""))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("withEfSearch changes ef_search only, within its bounds")
  void withEfSearchChangesOnlyEfSearch() {
    PostgresConfig config = PostgresConfig.of("jdbc:postgresql://db/agentbrain", "app", "s3cret");

    assertThat(config.withEfSearch(40))
        .isEqualTo(
            new PostgresConfig(
                config.jdbcUrl(),
                config.user(),
                config.password(),
                config.maxPoolSize(),
                config.connectionTimeout(),
                40));
    assertThatThrownBy(() -> config.withEfSearch(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
