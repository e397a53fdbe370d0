package dev.agentbrain.query.shadow;

import java.time.Instant;
import java.util.Optional;

/**
 * One live query answered by the primary and replayed on the shadow.
 *
 * @param query the query text
 * @param index the logical index
 * @param mode the search mode
 * @param primaryBackend the backend that answered the caller
 * @param shadowBackend the backend the query was replayed on
 * @param primary the primary's ranking
 * @param shadow the shadow's ranking; empty when it failed
 * @param agreement how far they agree; empty when the shadow failed
 * @param error why the shadow failed, in a line
 */
public record QueryComparison(
    Instant at,
    String query,
    String index,
    String mode,
    String primaryBackend,
    String shadowBackend,
    Ranking primary,
    Optional<Ranking> shadow,
    Optional<RankAgreement> agreement,
    Optional<String> error) {

  /** RBO, or -1 for a failed comparison (which ranks below every answered one). */
  double rboOrFailed() {
    return agreement.map(RankAgreement::rbo).orElse(-1.0);
  }
}
