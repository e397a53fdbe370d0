package dev.agentbrain.config;

import java.util.Objects;
import java.util.function.Function;

/**
 * One configuration value: its environment variable, default, parser and documentation.
 *
 * <p>Whether a value is secret is decided by the factory that declares it: {@link #of} for a value
 * that may be shown, {@link #secret} for a password or token, which is never shown (a password or
 * token inside any URL is masked either way).
 *
 * @param <T> the type of the parsed value
 */
public final class Setting<T> {

  private final String env;
  private final String defaultValue;
  private final Function<String, T> parser;
  private final boolean secret;
  private final String doc;

  private Setting(
      String env, String defaultValue, Function<String, T> parser, boolean secret, String doc) {
    this.env = Objects.requireNonNull(env, "env");
    this.defaultValue = Objects.requireNonNull(defaultValue, "defaultValue");
    this.parser = Objects.requireNonNull(parser, "parser");
    this.secret = secret;
    this.doc = Objects.requireNonNull(doc, "doc");
  }

  /**
   * A setting whose value may be shown (with any password or token inside a URL masked).
   *
   * @param env environment variable that sets it, e.g. {@code AGENT_BRAIN_KAFKA_BOOTSTRAP}
   * @param defaultValue text used when the variable is unset or blank
   * @param parser turns the text into the value, throwing {@link IllegalArgumentException} with a
   *     reason when it is not valid
   * @param doc one line for the configuration reference
   */
  public static <T> Setting<T> of(
      String env, String defaultValue, Function<String, T> parser, String doc) {
    return new Setting<>(env, defaultValue, parser, false, doc);
  }

  /**
   * A password or token: any text, empty (none) by default, never printed; {@code agent-brain
   * config} and errors show {@code ****} in its place.
   *
   * @param env environment variable that sets it, e.g. {@code AGENT_BRAIN_PG_PASSWORD}
   * @param doc one line for the configuration reference
   */
  public static Setting<String> secret(String env, String doc) {
    return new Setting<>(env, "", Parsers.any(), true, doc);
  }

  /** The environment variable that sets it. */
  public String env() {
    return env;
  }

  /** The text used when the variable is unset or blank. */
  public String defaultValue() {
    return defaultValue;
  }

  /** The value when the variable is unset: the default, parsed. */
  public T byDefault() {
    return parse(null);
  }

  /** Whether the value is never printed. */
  public boolean secret() {
    return secret;
  }

  /** One line for the configuration reference. */
  public String doc() {
    return doc;
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

  @Override
  public String toString() {
    return env;
  }
}
