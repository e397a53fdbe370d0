package dev.agentbrain.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ApiAuthTest {

  private final ApiAuth auth = ApiAuth.of("reader", "admin");

  private static int status(Runnable check) {
    try {
      check.run();
      return 200;
    } catch (RuntimeException e) {
      return ErrorTable.answer(e).orElseThrow().status();
    }
  }

  @Test
  @DisplayName("read routes take either token, admin routes only the admin token")
  void tokensGrantTheirAccess() {
    assertThat(status(() -> auth.check(Access.READ, "Bearer reader"))).isEqualTo(200);
    assertThat(status(() -> auth.check(Access.READ, "bearer admin"))).isEqualTo(200);
    assertThat(status(() -> auth.check(Access.ADMIN, "Bearer reader"))).isEqualTo(403);
    assertThat(status(() -> auth.check(Access.ADMIN, "Bearer admin"))).isEqualTo(200);
    assertThat(status(() -> auth.check(Access.OPEN, null))).isEqualTo(200);
  }

  @Test
  @DisplayName("a missing, malformed or wrong token is 401")
  void badTokensAreUnauthorized() {
    for (String header : new String[] {null, "", "Bearer", "Basic cmVhZGVy", "Bearer readers"}) {
      assertThat(status(() -> auth.check(Access.READ, header))).as(header).isEqualTo(401);
    }
  }

  @Test
  @DisplayName("with a read token but no admin token, nobody is admin")
  void noAdminTokenNoAdmin() {
    ApiAuth readOnly = ApiAuth.of("reader", "");
    assertThat(readOnly.isAdmin("Bearer reader")).isFalse();
    assertThat(ApiAuth.NONE.isAdmin(null)).isTrue();
  }

  @Test
  @DisplayName("without a token the service may listen on loopback only")
  void noTokenOnlyOnLoopback() {
    assertThatCode(() -> ApiAuth.NONE.requireSafeBinding("127.0.0.1")).doesNotThrowAnyException();
    assertThatCode(() -> ApiAuth.NONE.requireSafeBinding("localhost")).doesNotThrowAnyException();
    assertThatThrownBy(() -> ApiAuth.NONE.requireSafeBinding("0.0.0.0"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("AGENT_BRAIN_API_TOKEN");
    assertThatCode(() -> auth.requireSafeBinding("0.0.0.0")).doesNotThrowAnyException();
  }

  @Test
  @DisplayName("the tokens never show in its string form")
  void tokensAreMasked() {
    assertThat(ApiAuth.of("s3cret-read", "s3cret-admin").toString()).doesNotContain("s3cret");
  }

  @Test
  @DisplayName(
      "with auth off, a Host or Origin that is not a loopback name is 403; with auth on the token decides")
  void authOffRefusesForeignHostsAndOrigins() {
    for (String host : new String[] {"127.0.0.1:8080", "localhost", "[::1]:80", "127.1.2.3"}) {
      assertThat(status(() -> ApiAuth.NONE.checkCaller(host, null))).as(host).isEqualTo(200);
    }
    for (String host :
        new String[] {"evil.example", "127.0.0.1.evil.example:80", "10.0.0.1", "127.0.0.999", ""}) {
      assertThat(status(() -> ApiAuth.NONE.checkCaller(host, null))).as(host).isEqualTo(403);
    }
    assertThat(status(() -> ApiAuth.NONE.checkCaller("localhost", "http://127.0.0.1:5173")))
        .isEqualTo(200);
    for (String origin : new String[] {"https://evil.example", "null", "http://localhost.evil"}) {
      assertThat(status(() -> ApiAuth.NONE.checkCaller("localhost", origin)))
          .as(origin)
          .isEqualTo(403);
    }
    assertThatThrownBy(() -> ApiAuth.NONE.checkCaller("evil.example", null))
        .hasMessageContaining("AGENT_BRAIN_API_TOKEN");
    assertThat(status(() -> auth.checkCaller("evil.example", "https://evil.example")))
        .isEqualTo(200);
  }

  @Test
  @DisplayName("a token shorter than 16 characters is refused at start, naming the setting")
  void shortTokensAreRefused() {
    assertThatThrownBy(() -> ApiAuth.of("fifteen-chars-x", "").requireLongTokens())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("AGENT_BRAIN_API_TOKEN")
        .hasMessageContaining("16");
    assertThatThrownBy(() -> ApiAuth.of("sixteen-chars-xx", "short").requireLongTokens())
        .hasMessageContaining("AGENT_BRAIN_API_ADMIN_TOKEN");
    assertThatCode(() -> ApiAuth.of("sixteen-chars-xx", "").requireLongTokens())
        .doesNotThrowAnyException();
    assertThatCode(ApiAuth.NONE::requireLongTokens).doesNotThrowAnyException();
  }
}
