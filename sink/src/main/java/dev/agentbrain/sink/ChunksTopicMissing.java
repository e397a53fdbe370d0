package dev.agentbrain.sink;

import dev.agentbrain.retry.Failure;
import dev.agentbrain.retry.KnownFailure;

/** The chunks topic does not exist yet: a reader waits for the indexer to create it. */
final class ChunksTopicMissing extends RuntimeException implements KnownFailure {

  ChunksTopicMissing(String topic) {
    super(
        "the chunks topic %s does not exist yet; it is read as soon as the indexer creates it"
            .formatted(topic));
  }

  /** {@link Failure.Kind#TRANSIENT}: the topic appears when the indexer starts. */
  @Override
  public Failure.Kind failureKind() {
    return Failure.Kind.TRANSIENT;
  }
}
