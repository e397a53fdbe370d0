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
    } catch (ApiException e) {
      return e.status();
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
}
