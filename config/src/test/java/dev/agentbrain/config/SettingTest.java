package dev.agentbrain.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SettingTest {

  @Test
  @DisplayName("a secret is any text, empty by default, and shown only as ****")
  void secretsAreNeverShown() {
    Setting<String> token = Setting.secret("AGENT_BRAIN_TEST_TOKEN", "a token");

    assertThat(token.secret()).isTrue();
    assertThat(token.defaultValue()).isEmpty();
    assertThat(token.display("s3cret")).isEqualTo("****");
    assertThat(token.display(null)).isEmpty();
  }

  @Test
  @DisplayName("a plain setting is shown, with a password inside a URL masked")
  void plainSettingsAreShown() {
    Setting<String> url =
        Setting.of("AGENT_BRAIN_TEST_URL", "http://h:1", Parsers.nonBlank(), "a URL");

    assertThat(url.secret()).isFalse();
    assertThat(url.display("http://u:pw@h:1")).isEqualTo("http://u:****@h:1");
    assertThat(url.byDefault()).isEqualTo("http://h:1");
  }

  @Test
  @DisplayName("every password and token of Agent Brain is declared a secret")
  void passwordsAndTokensAreSecrets() {
    List<String> secrets = Settings.ALL.stream().filter(Setting::secret).map(Setting::env).toList();

    assertThat(secrets)
        .containsExactly(
            "AGENT_BRAIN_CHROMA_TOKEN",
            "AGENT_BRAIN_PG_PASSWORD",
            "AGENT_BRAIN_PG_READ_PASSWORD",
            "AGENT_BRAIN_API_TOKEN",
            "AGENT_BRAIN_API_ADMIN_TOKEN");
    Settings settings = Settings.of(Map.of("AGENT_BRAIN_PG_PASSWORD", "s3cret"));
    assertThat(settings.display(Settings.PG_PASSWORD)).isEqualTo("****");
  }

  @Test
  @DisplayName("an invalid value is refused with its variable and the text it was given")
  void invalidValuesNameTheVariable() {
    Setting<Integer> port = Setting.of("AGENT_BRAIN_TEST_PORT", "1", Parsers.port(), "a port");

    assertThatThrownBy(() -> Settings.of(Map.of("AGENT_BRAIN_TEST_PORT", "x")).get(port))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("AGENT_BRAIN_TEST_PORT='x' is not valid");
  }
}
