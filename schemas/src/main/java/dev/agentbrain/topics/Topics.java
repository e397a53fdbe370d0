package dev.agentbrain.topics;

import dev.agentbrain.contract.ContractRegistry;
import dev.agentbrain.events.DeadLetter;
import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.events.EmbeddedChunk;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The one place where every topic of the pipeline is defined.
 *
 * <ul>
 *   <li>{@code <prefix>.documents}: the document log, compacted, keyed by document id; the latest
 *       version of every document, and the source every index is rebuilt from. A delete is a
 *       tombstone.
 *   <li>{@code <prefix>.chunks}: embedded chunks, keyed by document id, kept for seven days; each
 *       backend's sink reads it in its own consumer group.
 *   <li>{@code <prefix>.dlq}: records the pipeline refused, with the original bytes and the reason.
 *   <li>{@code <prefix>.embeddings}: the shared embedding cache, compacted, keyed by {@code
 *       model|content hash}, the vector as big-endian floats; every indexer application (the live
 *       one and each reindex) reads it whole as a global store, so a replay with the same model
 *       embeds almost nothing again.
 *   <li>{@code <prefix>.jobs}: indexing jobs asked for over the API, compacted, one partition,
 *       keyed by job id, the latest state of each job as JSON (and cancel requests under {@code
 *       <id>/cancel}); every API replica reads it whole, and one runner at a time (a consumer
 *       group) runs the jobs in order.
 * </ul>
 */
public final class Topics {

  private final String prefix;
  private final int partitions;
  private final ValueSerdes serdes;
  private final String chunksName;

  public Topics(String prefix, int partitions, ValueSerdes serdes) {
    this(prefix, partitions, serdes, prefix + ".chunks");
  }

  private Topics(String prefix, int partitions, ValueSerdes serdes, String chunksName) {
    this.prefix = prefix;
    this.partitions = partitions;
    this.serdes = serdes;
    this.chunksName = chunksName;
  }

  /**
   * The same topics, but chunks go to {@code <prefix>.<name>.chunks}: for a migration into one
   * backend, whose chunks must reach that backend's sink only, not every sink of the pipeline.
   */
  public Topics withPrivateChunks(String name) {
    return new Topics(prefix, partitions, serdes, prefix + "." + name + ".chunks");
  }

  public Topic<String, DocumentEvent> documents() {
    return new Topic<>(
        prefix + ".documents",
        partitions,
        Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
            // a tombstone must outlive any replay that is still reading the log
            TopicConfig.DELETE_RETENTION_MS_CONFIG, String.valueOf(7L * 24 * 3600 * 1000),
            TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(8 * 1024 * 1024)),
        Serdes.String(),
        serdes.forType(DocumentEvent.class, DocumentEvent.getClassSchema()));
  }

  public Topic<String, EmbeddedChunk> chunks() {
    return new Topic<>(
        chunksName,
        partitions,
        Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG,
            TopicConfig.CLEANUP_POLICY_DELETE,
            TopicConfig.RETENTION_MS_CONFIG,
            String.valueOf(7L * 24 * 3600 * 1000)),
        Serdes.String(),
        serdes.forType(EmbeddedChunk.class, EmbeddedChunk.getClassSchema()));
  }

  public Topic<byte[], DeadLetter> deadLetters() {
    return new Topic<>(
        prefix + ".dlq",
        1,
        Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
            TopicConfig.RETENTION_MS_CONFIG, String.valueOf(30L * 24 * 3600 * 1000),
            TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(16 * 1024 * 1024)),
        Serdes.ByteArray(),
        serdes.forType(DeadLetter.class, DeadLetter.getClassSchema()));
  }

  public Topic<String, byte[]> embeddings() {
    return new Topic<>(
        prefix + ".embeddings",
        partitions,
        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT),
        Serdes.String(),
        Serdes.ByteArray());
  }

  public Topic<String, String> jobs() {
    return new Topic<>(
        prefix + ".jobs",
        1,
        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT),
        Serdes.String(),
        Serdes.String());
  }

  /** The consumer group whose one active member runs the indexing jobs. */
  public String jobRunnerGroup() {
    return prefix + "-job-runner";
  }

  /** Every topic, for creation and for {@code agent-brain status}. */
  public List<Topic<?, ?>> all() {
    return List.of(documents(), chunks(), deadLetters(), embeddings(), jobs());
  }

  /**
   * Streams application id (and consumer group prefix) of the migration of one contract version
   * into one backend.
   */
  public String migrationApplicationId(String index, int version, String backend) {
    return prefix + "-migrate-" + ContractRegistry.physicalName(index, version) + "-to-" + backend;
  }

  /**
   * Streams application id (and consumer group) of the reindex into one contract version of an
   * index: the same id resumes a stopped reindex, and any process can read its progress from it.
   */
  public String reindexApplicationId(String index, int version) {
    return prefix + "-reindex-" + ContractRegistry.physicalName(index, version);
  }

  /** Prefix of consumer groups and Streams application ids. */
  /** The consumer group of the sink that writes the chunks topic into {@code backend}. */
  public String sinkGroup(dev.agentbrain.config.Backend backend) {
    return prefix + "-sink-" + backend.id();
  }

  public String prefix() {
    return prefix;
  }
}
