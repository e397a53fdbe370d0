package dev.agentbrain.mcp;

import dev.agentbrain.query.Access;
import dev.agentbrain.query.ApiAuth;

/**
 * Who calls a tool: the {@code Authorization} header of the HTTP request that carried the call
 * (empty over stdio), judged by the query API's own token rules.
 *
 * @param authorization the header's value, {@code null} when there was none
 */
record Caller(ApiAuth auth, String authorization) {

  /**
   * Checks that the caller may use something of this access.
   *
   * @throws dev.agentbrain.query.UnauthenticatedException without a valid token
   * @throws dev.agentbrain.query.AccessDeniedException with a token that is not enough
   */
  void require(Access access) {
    auth.check(access, authorization);
  }

  /** Whether the caller holds admin rights (always, when auth is off). */
  boolean admin() {
    return auth.isAdmin(authorization);
  }
}
