package dev.agentbrain.query;

/** Who may call a route when bearer-token auth is on (see {@link ApiAuth}). */
public enum Access {
  /** Anyone, token or not: liveness, the OpenAPI document, the search page. */
  OPEN,
  /** Holders of the API token or the admin token. */
  READ,
  /** Holders of the admin token only. */
  ADMIN
}
