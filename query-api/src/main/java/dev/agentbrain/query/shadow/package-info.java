/**
 * Shadow mode in the query service: a sample of live searches replayed on the shadow backend and
 * compared with the primary's answers, the write lag of both sinks, the latest reconciliation, and
 * the report of all of it ({@code GET /admin/shadow}) and its meters.
 */
package dev.agentbrain.query.shadow;
