package dev.agentbrain.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SecretsTest {

  @Test
  @DisplayName("a password or token inside a URL is masked, the rest of the URL kept")
  void masksSecretsInUrls() {
    assertThat(Secrets.maskUrls("jdbc:postgresql://db:5432/brain?user=ab&password=s3cret&ssl=true"))
        .isEqualTo("jdbc:postgresql://db:5432/brain?user=ab&password=****&ssl=true");
    assertThat(Secrets.maskUrls("postgresql://ab:s3cret@db:5432/brain"))
        .isEqualTo("postgresql://ab:****@db:5432/brain");
    assertThat(Secrets.maskUrls("http://h:8000/api?Token=s3cret#x"))
        .isEqualTo("http://h:8000/api?Token=****#x");
    assertThat(Secrets.maskUrls("http://127.0.0.1:18000")).isEqualTo("http://127.0.0.1:18000");
  }

  @Test
  @DisplayName(
      "agent-brain config and a setting's error never show a password in AGENT_BRAIN_PG_URL")
  void settingsNeverShowAUrlPassword() {
    Settings settings =
        Settings.of(
            Map.of(
                Settings.PG_URL.env(),
                "jdbc:postgresql://127.0.0.1:5432/agentbrain?password=s3cret-pw"));
    assertThat(settings.display(Settings.PG_URL))
        .doesNotContain("s3cret")
        .contains("jdbc:postgresql://127.0.0.1:5432/agentbrain");
    Settings invalid =
        Settings.of(Map.of(Settings.CHROMA_URL.env(), "ftp://u:s3cret-pw@chroma:8000"));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> invalid.get(Settings.CHROMA_URL))
        .isInstanceOf(ConfigException.class)
        .hasMessageNotContaining("s3cret");
  }
}
