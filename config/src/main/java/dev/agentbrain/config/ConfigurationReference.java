package dev.agentbrain.config;

import java.util.List;

/**
 * The configuration reference as a Markdown table, made from {@link Settings#REFERENCE}: the one
 * list of settings is also the one place their documentation lives. {@code docs/configuration.md}
 * holds this table (a test keeps the two equal) and {@code agent-brain config --markdown} prints
 * it.
 */
public final class ConfigurationReference {

  private ConfigurationReference() {}

  /** One row per setting, in the order of {@link Settings#REFERENCE}. */
  public static String markdown() {
    return markdown(Settings.REFERENCE);
  }

  static String markdown(List<Setting<?>> settings) {
    StringBuilder table = new StringBuilder("| variable | default | meaning |\n|---|---|---|\n");
    for (Setting<?> setting : settings) {
      String shown = setting.defaultValue().isEmpty() ? "none" : "`" + setting.defaultValue() + "`";
      String doc = setting.doc().replace("|", "\\|");
      table
          .append("| `")
          .append(setting.env())
          .append("` | ")
          .append(shown)
          .append(" | ")
          .append(doc)
          .append(" |\n");
    }
    return table.toString();
  }
}
