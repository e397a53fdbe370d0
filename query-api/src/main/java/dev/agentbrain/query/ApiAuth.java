package dev.agentbrain.query;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Optional bearer-token auth ({@code Authorization: Bearer <token>}).
 *
 * <p>With no token at all, every caller is trusted (admin included): that is only allowed on a
 * loopback address, where the caller is someone on this machine. With a token, {@link Access#READ}
 * routes need the token or the admin token, and {@link Access#ADMIN} routes (and admin-only request
 * parameters) need the admin token; with a token but no admin token, nobody is admin.
 *
 * @param token the API token, empty for none
 * @param adminToken the admin token, empty for none
 */
public record ApiAuth(Optional<String> token, Optional<String> adminToken) {

  /** The shortest token accepted at start: shorter ones are guessable. */
  public static final int MIN_TOKEN_LENGTH = 16;

  /** No auth: for loopback only. */
  public static final ApiAuth NONE = new ApiAuth(Optional.empty(), Optional.empty());

  public ApiAuth {
    token = token.filter(t -> !t.isBlank());
    adminToken = adminToken.filter(t -> !t.isBlank());
  }

  /** Auth from two possibly blank strings (blank = not set). */
  public static ApiAuth of(String token, String adminToken) {
    return new ApiAuth(Optional.ofNullable(token), Optional.ofNullable(adminToken));
  }

  /** Whether any token is required at all. */
  public boolean enabled() {
    return token.isPresent() || adminToken.isPresent();
  }

  /**
   * Fails when the service would listen on a non-loopback address without a token.
   *
   * @throws IllegalStateException saying what to set
   */
  public void requireSafeBinding(String host) {
    if (!enabled() && !isLoopback(host)) {
      throw new IllegalStateException(
          "the query API would listen on "
              + host
              + ", which is not a loopback address, without a token; set AGENT_BRAIN_API_TOKEN"
              + " (and AGENT_BRAIN_API_ADMIN_TOKEN for admin calls), or bind to 127.0.0.1");
    }
  }

  /**
   * Fails when a token is shorter than {@link #MIN_TOKEN_LENGTH} characters.
   *
   * @throws IllegalStateException naming the setting and what to do
   */
  public ApiAuth requireLongTokens() {
    requireLong(token, "AGENT_BRAIN_API_TOKEN");
    requireLong(adminToken, "AGENT_BRAIN_API_ADMIN_TOKEN");
    return this;
  }

  private static void requireLong(Optional<String> token, String setting) {
    if (token.isPresent() && token.get().length() < MIN_TOKEN_LENGTH) {
      throw new IllegalStateException(
          setting
              + " is shorter than "
              + MIN_TOKEN_LENGTH
              + " characters, which is too easy to guess; use a random one, e.g. `openssl rand"
              + " -hex 24`");
    }
  }

  /**
   * With auth off, refuses a caller whose {@code Host} or {@code Origin} is not a loopback name: a
   * web page in a local browser (another origin, or DNS rebinding) must not reach an API that
   * trusts everyone on this machine. With auth on, the token decides.
   *
   * @throws AccessDeniedException saying why and how to allow it
   */
  public void checkCaller(String host, String origin) {
    if (enabled()) {
      return;
    }
    if (host != null && !isLoopbackName(withoutPort(host))) {
      throw new AccessDeniedException(
          "Host '"
              + host
              + "' is not a loopback address and this API has no token; call it at 127.0.0.1"
              + " or localhost, or set AGENT_BRAIN_API_TOKEN to allow other hosts");
    }
    if (origin != null && !isLoopbackName(originHost(origin))) {
      throw new AccessDeniedException(
          "requests from web pages at '"
              + origin
              + "' are refused while this API has no token; set AGENT_BRAIN_API_TOKEN to allow"
              + " them");
    }
  }

  private static String withoutPort(String host) {
    String h = host.strip();
    if (h.startsWith("[")) {
      int end = h.indexOf(']');
      return end < 0 ? h : h.substring(1, end);
    }
    int colon = h.indexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }

  private static String originHost(String origin) {
    int scheme = origin.indexOf("://");
    if (scheme < 0) {
      return origin; // e.g. "null": not a loopback name
    }
    String rest = origin.substring(scheme + 3);
    int slash = rest.indexOf('/');
    return withoutPort(slash < 0 ? rest : rest.substring(0, slash));
  }

  // by name only, never by DNS: a rebinding name resolves to 127.0.0.1 too
  private static boolean isLoopbackName(String host) {
    String h = host.toLowerCase(java.util.Locale.ROOT);
    if (h.equals("localhost") || h.equals("::1")) {
      return true;
    }
    String[] parts = h.split("\\.", -1);
    if (parts.length != 4 || !parts[0].equals("127")) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
        return false;
      }
      if (Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  /**
   * Checks the {@code Authorization} header value for a route of the given access.
   *
   * @throws UnauthenticatedException without a valid token
   * @throws AccessDeniedException with a valid token that is not enough
   */
  public void check(Access access, String authorization) {
    if (access == Access.OPEN || !enabled()) {
      return;
    }
    Optional<String> presented = bearer(authorization);
    boolean admin = presented.isPresent() && matches(adminToken, presented.get());
    boolean reader = admin || (presented.isPresent() && matches(token, presented.get()));
    if (!reader) {
      throw new UnauthenticatedException(
          presented.isEmpty()
              ? "this API needs a token: send the header 'Authorization: Bearer <token>'"
              : "the bearer token is not valid");
    }
    if (access == Access.ADMIN && !admin) {
      throw new AccessDeniedException("this needs the admin token (AGENT_BRAIN_API_ADMIN_TOKEN)");
    }
  }

  /** Whether the header carries admin rights (always, when auth is off). */
  public boolean isAdmin(String authorization) {
    if (!enabled()) {
      return true;
    }
    return bearer(authorization).map(t -> matches(adminToken, t)).orElse(false);
  }

  private static Optional<String> bearer(String authorization) {
    if (authorization == null) {
      return Optional.empty();
    }
    String value = authorization.strip();
    if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    return Optional.of(value.substring(7).strip()).filter(t -> !t.isEmpty());
  }

  // constant-time comparison, so response timing does not reveal how much of a token matched
  private static boolean matches(Optional<String> expected, String presented) {
    return expected
        .map(
            e ->
                MessageDigest.isEqual(
                    e.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8)))
        .orElse(false);
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "ApiAuth[token="
        + (token.isPresent() ? "****" : "none")
        + ", admin="
        + (adminToken.isPresent() ? "****" : "none")
        + "]";
  }
}
