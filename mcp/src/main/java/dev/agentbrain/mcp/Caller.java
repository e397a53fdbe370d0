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
   * @throws dev.agentbrain.query.ApiException 401 or 403, as the API answers
   */
  void require(Access access) {
    auth.check(access, authorization);
  }

  /** Whether the caller holds admin rights (always, when auth is off). */
  boolean admin() {
    return auth.isAdmin(authorization);
  }
}
