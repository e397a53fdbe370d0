package dev.agentbrain.config;

import java.util.Objects;
import java.util.function.Function;

/**
 * One configuration value: its environment variable, default, parser and documentation.
 *
 * @param env environment variable that sets it, e.g. {@code AGENT_BRAIN_KAFKA_BOOTSTRAP}
 * @param defaultValue text used when the variable is unset or blank
 * @param parser turns the text into the value, throwing {@link IllegalArgumentException} with a
 *     reason when it is not valid
 * @param secret whether the value must never be printed (a password or token inside any URL is
 *     masked either way)
 * @param doc one line for the configuration reference
 */
public record Setting<T>(
    String env, String defaultValue, Function<String, T> parser, boolean secret, String doc) {

  public Setting {
    Objects.requireNonNull(env, "env");
    Objects.requireNonNull(defaultValue, "defaultValue");
    Objects.requireNonNull(parser, "parser");
  }

  /** The value as the text shows it, or an error naming the variable and the reason. */
  T parse(String text) {
    String raw = text == null || text.isBlank() ? defaultValue : text.strip();
    try {
      return parser.apply(raw);
    } catch (IllegalArgumentException e) {
      String shown = secret ? "****" : "'" + Secrets.maskUrls(raw) + "'";
      throw new ConfigException(env + "=" + shown + " is not valid: " + e.getMessage());
    }
  }

  /** How the value is shown in logs and in {@code agent-brain config}. */
  String display(String text) {
    String raw = text == null || text.isBlank() ? defaultValue : text.strip();
    return secret && !raw.isEmpty() ? "****" : Secrets.maskUrls(raw);
  }
}
