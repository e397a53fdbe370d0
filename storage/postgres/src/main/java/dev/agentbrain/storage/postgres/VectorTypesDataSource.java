package dev.agentbrain.storage.postgres;

import com.pgvector.PGvector;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Opens physical connections with pgvector's types registered, so {@code vector} and {@code
 * halfvec} columns read as {@link PGvector} and {@link com.pgvector.PGhalfvec}. The pool calls it
 * once per physical connection; {@code getConnection()} delegates here too.
 */
final class VectorTypesDataSource extends PGSimpleDataSource {

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    Connection connection = super.getConnection(user, password);
    try {
      PGvector.registerTypes(connection);
      return connection;
    } catch (SQLException e) {
      connection.close();
      throw e;
    }
  }
}
