package dev.agentbrain.indexer;

import dev.agentbrain.deadletter.DeadLetters;
import dev.agentbrain.deadletter.Stage;
import dev.agentbrain.events.ChunkOperation;
import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.events.DocumentOperation;
import dev.agentbrain.events.EmbeddedChunk;
import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.events.PendingChunk;
import dev.agentbrain.indexer.contract.ContractCheck;
import dev.agentbrain.indexer.contract.ContractViolation;
import dev.agentbrain.retry.Failure;
import dev.agentbrain.retry.Failures;
import dev.agentbrain.retry.RetryPolicy;
import dev.agentbrain.storage.DocumentVersions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The indexer's one processor: turns document events into embedded chunks. It routes each record
 * (validates it, finds its index's contract, cuts it into chunks) and forwards what comes out; the
 * waiting is {@link PendingBatch}'s and the vectors are {@link VectorCache}'s.
 *
 * <p>Chunks wait in the {@code pending} store until a batch is full by count or tokens, or its
 * oldest chunk has waited long enough; the batch is then embedded in one call (reusing the vectors
 * either cache holds), checked against the index contract and forwarded. A newer version of a
 * document drops the older version's pending chunks; a delete drops them all and forwards a delete.
 * Anything it cannot process goes to the dead-letter sink with the reason; the stream keeps
 * running.
 *
 * <p>Only what can never succeed is dead-lettered ({@link Failure.Kind#REJECTED}: a contract
 * violation, a text the provider refuses, vectors of other dimensions). An embedding provider or
 * registry that is unavailable ({@link Failure.Kind#TRANSIENT}: down, failing, slow, rate-limited)
 * or that needs a person ({@link Failure.Kind#BROKEN}: a refused key, no quota) never causes a dead
 * letter: the batch stays pending and is tried again after a backoff (1 s doubling to 30 s, or
 * longer when the provider asked for it with {@code Retry-After}), however long that takes.
 * Meanwhile documents keep arriving into the pending store, so nothing is lost to a crash either.
 */
final class ChunkEmbedder implements Processor<String, byte[], Object, Object> {

  private static final Logger LOG = LoggerFactory.getLogger(ChunkEmbedder.class);

  /** Pauses between embedding attempts while the provider is unavailable; never gives up. */
  private static final RetryPolicy UNAVAILABLE =
      RetryPolicy.unbounded(Duration.ofSeconds(1), Duration.ofSeconds(30));

  private final IndexerTopology.Parts parts;
  private ProcessorContext<Object, Object> context;
  private PendingBatch pending;
  private VectorCache cache;
  private KeyValueStore<String, String> documentIndex;
  private int unavailableAttempts;
  private long retryAtMillis;

  ChunkEmbedder(IndexerTopology.Parts parts) {
    this.parts = parts;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.pending =
        new PendingBatch(
            context.getStateStore(IndexerTopology.PENDING_STORE),
            parts.keySerializer(),
            parts.batch(),
            context.currentSystemTimeMs());
    this.cache = new VectorCache(context, parts.models(), parts.metrics());
    this.documentIndex = context.getStateStore(IndexerTopology.DOCUMENT_INDEX_STORE);
    Duration tick = parts.batch().maxWait().dividedBy(3);
    context.schedule(
        tick.isZero() ? Duration.ofMillis(1) : tick,
        PunctuationType.WALL_CLOCK_TIME,
        now -> {
          boolean due = unavailableAttempts > 0 || pending.due(now);
          if (!pending.isEmpty() && due && now >= retryAtMillis) {
            flushAll();
          }
        });
  }

  @Override
  public void process(Record<String, byte[]> record) {
    String documentId = record.key();
    DocumentEvent event;
    try {
      event =
          record.value() == null
              ? null
              : parts.documentDeserializer().deserialize(sourceTopic(), record.value());
    } catch (RuntimeException e) {
      deadLetter(Stage.DESERIALIZE, "the value is not a readable document event", e, record);
      return;
    }
    if (documentId == null) {
      deadLetter(Stage.VALIDATE, "the record has no key (document id)", null, record);
      return;
    }
    // the version of a document is its record's place in the log, never a publisher's clock
    long version = DocumentVersions.fromLog(context.recordMetadata().orElseThrow().offset());
    if (event == null || event.getOperation() == DocumentOperation.DELETE) {
      delete(documentId, version);
      return;
    }
    if (!parts.handles().test(event.getIndex())) {
      return; // another application embeds this index
    }
    Optional<String> problem = validate(documentId, event);
    if (problem.isPresent()) {
      deadLetter(Stage.VALIDATE, problem.get(), null, record);
      return;
    }
    Optional<EmbeddingContract> contract = liveContract(event.getIndex());
    if (contract.isEmpty()) {
      deadLetter(
          Stage.VALIDATE,
          "index '"
              + event.getIndex()
              + "' does not exist — create it with `agent-brain index create "
              + event.getIndex()
              + "`",
          null,
          record);
      return;
    }
    List<ChunkDraft> drafts;
    try {
      drafts = parts.splitter().split(event, contract.get());
    } catch (RuntimeException e) {
      deadLetter(
          Stage.CHUNK, "the document could not be cut into chunks: " + e.getMessage(), e, record);
      return;
    }
    if (drafts.isEmpty()) {
      deadLetter(Stage.CHUNK, "the document has no text to index", null, record);
      return;
    }
    documentIndex.put(documentId, event.getIndex());
    RecordMetadata origin = context.recordMetadata().orElseThrow();
    List<EmbeddedChunk> chunks = ChunkEvents.of(event, version, contract.get(), drafts);
    pending.replace(
        documentId,
        IntStream.range(0, chunks.size())
            .mapToObj(
                position ->
                    new PendingChunk(
                        chunks.get(position),
                        drafts.get(position).tokens(),
                        origin.partition(),
                        origin.offset()))
            .toList(),
        context.currentSystemTimeMs());
    while (pending.full() && context.currentSystemTimeMs() >= retryAtMillis && flushBatch()) {
      // full batches go out as they fill, unless the provider asked us to wait
    }
  }

  private Optional<String> validate(String documentId, DocumentEvent event) {
    if (!documentId.equals(event.getId())) {
      return Optional.of(
          "the key '" + documentId + "' differs from the event's id '" + event.getId() + "'");
    }
    if (event.getContent().isBlank()) {
      return Optional.of("the document has no content");
    }
    if (event.getContent().length() > parts.maxContentChars()) {
      return Optional.of(
          "the document has "
              + event.getContent().length()
              + " characters, more than the limit of "
              + parts.maxContentChars());
    }
    return Optional.empty();
  }

  private Optional<EmbeddingContract> liveContract(String index) {
    try {
      return parts.contracts().apply(index);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private void delete(String documentId, long version) {
    pending.drop(documentId);
    String index = documentIndex.delete(documentId);
    if (index == null) {
      return; // never indexed here: nothing to remove
    }
    Optional<EmbeddingContract> contract = liveContract(index);
    if (contract.isEmpty()) {
      return;
    }
    EmbeddedChunk removal =
        EmbeddedChunk.newBuilder()
            .setIndex(index)
            .setIndexVersion(contract.get().getVersion())
            .setOperation(ChunkOperation.DELETE_DOCUMENT)
            .setDocumentId(documentId)
            .setDocumentVersion(version)
            .setEmbedding(List.of())
            .build();
    context.forward(
        new Record<>(documentId, removal, context.currentSystemTimeMs()),
        IndexerTopology.CHUNKS_SINK);
  }

  private void flushAll() {
    while (!pending.isEmpty() && flushBatch()) {
      // until the store is empty or the provider is unavailable
    }
  }

  /**
   * Embeds, checks and forwards (or dead-letters) one batch from the pending store.
   *
   * @return false when some of the batch stays pending because the provider is unavailable
   */
  private boolean flushBatch() {
    List<KeyValue<String, PendingChunk>> batch = pending.next();
    Map<String, List<KeyValue<String, PendingChunk>>> byContract = new LinkedHashMap<>();
    for (KeyValue<String, PendingChunk> kv : batch) {
      EmbeddedChunk c = kv.value.getChunk();
      byContract
          .computeIfAbsent(c.getIndex() + "@" + c.getIndexVersion(), k -> new ArrayList<>())
          .add(kv);
    }
    List<KeyValue<String, PendingChunk>> handled = new ArrayList<>();
    for (List<KeyValue<String, PendingChunk>> group : byContract.values()) {
      if (!embedAndForward(group)) {
        break;
      }
      handled.addAll(group);
    }
    pending.remove(handled);
    return handled.size() == batch.size();
  }

  /**
   * Embeds, checks and forwards one group of chunks of one contract, or dead-letters it.
   *
   * @return false when the provider is unavailable and the group must wait
   */
  private boolean embedAndForward(List<KeyValue<String, PendingChunk>> group) {
    EmbeddedChunk first = group.get(0).value.getChunk();
    List<float[]> vectors;
    try {
      EmbeddingContract contract =
          parts.contractVersions().apply(first.getIndex(), first.getIndexVersion());
      vectors = cache.vectors(contract, group.stream().map(kv -> kv.value.getChunk()).toList());
      ContractCheck.verify(contract, first.getModel(), vectors);
    } catch (RuntimeException e) {
      Failure failure = Failures.classify(e);
      if (failure.kind() != Failure.Kind.REJECTED) {
        waitForProvider(first.getIndex(), group.size(), failure);
        return false;
      }
      Stage stage = e instanceof ContractViolation ? Stage.CONTRACT : Stage.EMBED;
      LOG.warn(
          "{} chunks of index {} refused at stage {}: {}",
          group.size(),
          first.getIndex(),
          stage.id(),
          e.getMessage());
      parts.metrics().refused(stage, group.size());
      group.forEach(kv -> deadLetterChunk(stage, e, kv.value));
      return true;
    }
    if (unavailableAttempts > 0) {
      LOG.info(
          "embedding works again after {} failed attempts; pending chunks go out",
          unavailableAttempts);
      unavailableAttempts = 0;
    }
    long now = context.currentSystemTimeMs();
    for (int i = 0; i < group.size(); i++) {
      EmbeddedChunk chunk = group.get(i).value.getChunk();
      chunk.setEmbedding(ChunkEvents.toList(vectors.get(i)));
      context.forward(new Record<>(chunk.getDocumentId(), chunk, now), IndexerTopology.CHUNKS_SINK);
    }
    parts.metrics().chunksEmitted(group.size());
    return true;
  }

  /** Schedules the next attempt: the backoff, or longer when the provider asked for it. */
  private void waitForProvider(String index, int chunks, Failure failure) {
    unavailableAttempts++;
    Duration backoff = UNAVAILABLE.backoff(unavailableAttempts, ThreadLocalRandom.current());
    Duration wait =
        failure.retryAfter().filter(asked -> asked.compareTo(backoff) > 0).orElse(backoff);
    // the context's clock was read before the call, which may have waited on the provider itself
    long now = Math.max(context.currentSystemTimeMs(), System.currentTimeMillis());
    retryAtMillis = now + wait.toMillis();
    parts.metrics().waitedForProvider();
    LOG.warn(
        "{} chunks of index {} wait {} ms ({} failure, attempt {}); {} chunks pending: {}",
        chunks,
        index,
        wait.toMillis(),
        failure.kind().name().toLowerCase(Locale.ROOT),
        unavailableAttempts,
        pending.size(),
        failure.message());
  }

  private void deadLetter(
      Stage stage, String reason, Throwable error, Record<String, byte[]> record) {
    RecordMetadata origin = context.recordMetadata().orElseThrow();
    LOG.warn("document {} refused at stage {}: {}", record.key(), stage.id(), reason);
    parts.metrics().refused(stage, 1);
    forward(
        DeadLetters.of(
            stage,
            reason,
            error,
            new DeadLetters.Origin(origin.topic(), origin.partition(), origin.offset()),
            record.key(),
            record.value()));
  }

  private void deadLetterChunk(Stage stage, RuntimeException error, PendingChunk chunk) {
    forward(
        DeadLetters.of(
            stage,
            error.getMessage(),
            error,
            new DeadLetters.Origin(
                sourceTopic(), chunk.getSourcePartition(), chunk.getSourceOffset()),
            chunk.getChunk().getDocumentId(),
            parts.chunkBytes().apply(chunk.getChunk())));
  }

  private void forward(DeadLetters.Entry entry) {
    context.forward(
        new Record<Object, Object>(
            entry.key(), entry.letter(), context.currentSystemTimeMs(), entry.headers()),
        IndexerTopology.DLQ_SINK);
  }

  private String sourceTopic() {
    return parts.documentsTopic();
  }
}
