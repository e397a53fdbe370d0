package dev.agentbrain.storage.postgres;

import com.pgvector.PGvector;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Opens physical connections with pgvector's types registered, so {@code vector} and {@code
 * halfvec} columns read as {@link PGvector} and {@link com.pgvector.PGhalfvec}. The pool calls it
 * once per physical connection; {@code getConnection()} delegates here too.
 *
 * <p>The extension is created first when the database lacks it: registering looks the type up, and
 * the driver remembers a missing type for the life of the connection, so a connection made before
 * the extension existed could never write a vector ("Unknown type vector").
 */
final class VectorTypesDataSource extends PGSimpleDataSource {

  /** A concurrent {@code CREATE EXTENSION} of another connection won the race. */
  private static final String UNIQUE_VIOLATION = "23505";

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    Connection connection = super.getConnection(user, password);
    try {
      if (!vectorTypeExists(connection)) {
        createExtension(connection);
      }
      PGvector.registerTypes(connection);
      return connection;
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
  }

  private static boolean vectorTypeExists(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT to_regtype('vector') IS NOT NULL")) {
      return row.next() && row.getBoolean(1);
    }
  }

  private void createExtension(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute("CREATE EXTENSION IF NOT EXISTS vector");
    } catch (SQLException e) {
      if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
        return;
      }
      throw new SQLException(
          "pgvector's extension is not in database %s and user %s may not create it (%s): run CREATE EXTENSION vector there as a superuser, or `make up` for the local database"
              .formatted(getDatabaseName(), getUser(), e.getMessage()),
          e.getSQLState(),
          e);
    }
  }
}
