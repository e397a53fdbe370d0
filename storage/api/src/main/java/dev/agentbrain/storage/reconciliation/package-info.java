/**
 * Reconciliation: two physical indexes, in any backends, compared document by document (present on
 * both sides, same version, same chunks and texts, vectors equal within a tolerance), after each
 * side has settled, with what differs and how.
 */
package dev.agentbrain.storage.reconciliation;
