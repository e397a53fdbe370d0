package dev.agentbrain.config;

import java.util.regex.Pattern;

/** Masks the secrets a URL may carry, wherever a URL could be printed (settings, logs, errors). */
public final class Secrets {

  // user:password@ after the scheme; neither part may hold '/' or '@', so matching is linear
  private static final Pattern USER_INFO = Pattern.compile("(://[^/@:]*:)[^/@]*@");
  // ?password=..., &token=..., ;secret=... (JDBC and HTTP query parameters)
  private static final Pattern PARAMETER =
      Pattern.compile(
          "([?&;](?:password|sslpassword|pass|pwd|token|access_token|secret|api[_-]?key)=)[^&;#]*",
          Pattern.CASE_INSENSITIVE);

  private Secrets() {}

  /** The text with every password or token inside a URL replaced by {@code ****}. */
  public static String maskUrls(String text) {
    if (text == null) {
      return null;
    }
    String masked = USER_INFO.matcher(text).replaceAll("$1****@");
    return PARAMETER.matcher(masked).replaceAll("$1****");
  }
}
