package dev.agentbrain.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentbrain.storage.NoSuchIndexException;
import dev.agentbrain.storage.StorageException;
import dev.agentbrain.storage.StorageUnavailableException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PostgresErrorsTest {

  private final PostgresErrors errors = new PostgresErrors("jdbc:postgresql://db:5432/agentbrain");

  @ParameterizedTest
  @ValueSource(strings = {"08001", "08006", "57P01", "57P02", "57P03", "53300", "40001", "40P01"})
  @DisplayName("connection failures, shutdowns and conflicts are worth a retry")
  void retriableStates(String state) {
    StorageException error =
        errors.translate(
            new SQLException("driver text", state), "writing to index docs_v1", "docs_v1");

    assertThat(error).isInstanceOf(StorageUnavailableException.class);
    assertThat(error.getMessage()).doesNotContain("driver text");
  }

  @Test
  @DisplayName("a pool timeout after failed connections says the server is unreachable")
  void poolTimeoutUnreachable() {
    SQLException refused = new SQLException("Connection refused", "08001");
    StorageException error =
        errors.translate(
            new SQLTransientConnectionException(
                "pool - Connection is not available, request timed out after 10000ms",
                "08001",
                refused),
            "searching index docs_v1",
            "docs_v1");

    assertThat(error)
        .isInstanceOf(StorageUnavailableException.class)
        .hasMessage(
            "PostgreSQL at jdbc:postgresql://db:5432/agentbrain is not reachable while searching"
                + " index docs_v1; check that it runs (`make up` starts it) and retry");
  }

  @Test
  @DisplayName("a pool timeout with every connection busy says so, not that the server is down")
  void poolTimeoutBusy() {
    // as HikariCP throws it when no connection attempt failed: no SQLSTATE, no cause
    StorageException error =
        errors.translate(
            new SQLTransientConnectionException(
                "pool - Connection is not available, request timed out after 10048ms (total=4,"
                    + " active=4, idle=0, waiting=3)"),
            "searching index docs_v1 by keyword",
            "docs_v1");

    assertThat(error).isInstanceOf(StorageUnavailableException.class);
    assertThat(error.getMessage())
        .startsWith(
            "PostgreSQL at jdbc:postgresql://db:5432/agentbrain had no free connection in this"
                + " process's pool for the whole wait while searching index docs_v1 by keyword")
        .contains("AGENT_BRAIN_PG_READ_POOL_SIZE")
        .doesNotContain("not reachable", "total=4");
  }

  @Test
  @DisplayName("a missing table means the index does not exist")
  void missingTable() {
    StorageException error =
        errors.translate(
            new SQLException("relation does not exist", "42P01"), "counting", "docs_v1");

    assertThat(error).isInstanceOf(NoSuchIndexException.class).hasMessageContaining("docs_v1");
  }

  @Test
  @DisplayName("any other failure keeps SQL and driver text out of the message but in the cause")
  void otherFailure() {
    SQLException cause = new SQLException("syntax error at or near SELECT", "42601");

    StorageException error = errors.translate(cause, "writing to index docs_v1", "docs_v1");

    assertThat(error)
        .isExactlyInstanceOf(StorageException.class)
        .hasMessage("PostgreSQL failed while writing to index docs_v1 (SQLSTATE 42601)")
        .hasCause(cause);
  }

  @Test
  @DisplayName(
      "a password inside the JDBC URL appears in no error message and not in the config's string form")
  void urlPasswordIsNeverShown() {
    String url = "jdbc:postgresql://db:5432/agentbrain?password=s3cret-pw";
    StorageException error =
        new PostgresErrors(url)
            .translate(new SQLException("down", "08001"), "searching index docs_v1", "docs_v1");
    assertThat(error.getMessage()).doesNotContain("s3cret").contains("jdbc:postgresql://db:5432");
    assertThat(PostgresConfig.of(url, "reader", "pw").toString()).doesNotContain("s3cret");
  }
}
