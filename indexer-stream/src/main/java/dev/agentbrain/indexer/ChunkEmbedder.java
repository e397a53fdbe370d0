package dev.agentbrain.indexer;

import dev.agentbrain.deadletter.DeadLetters;
import dev.agentbrain.deadletter.Stage;
import dev.agentbrain.embedding.EmbeddingModel;
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
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The indexer's one processor: turns document events into embedded chunks.
 *
 * <p>Chunks wait in the {@code pending} store (changelogged, so a crash loses nothing) until a
 * batch is full by count or tokens, or its oldest chunk has waited long enough; the batch is then
 * embedded in one call (vectors already in the {@code embedding-cache} store, or in the {@code
 * shared-embeddings} store that every indexer application fills, are reused), checked against the
 * index contract and forwarded. A newer version of a document drops the older version's pending
 * chunks; a delete drops them all and forwards a delete. Anything it cannot process goes to the
 * dead-letter sink with the reason; the stream keeps running.
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
  private static final char KEY_SEPARATOR = '\u0000';

  /** Pauses between embedding attempts while the provider is unavailable; never gives up. */
  private static final RetryPolicy UNAVAILABLE =
      RetryPolicy.unbounded(Duration.ofSeconds(1), Duration.ofSeconds(30));

  private final IndexerTopology.Parts parts;
  private ProcessorContext<Object, Object> context;
  private KeyValueStore<String, PendingChunk> pending;
  private KeyValueStore<String, byte[]> cache;
  private KeyValueStore<String, byte[]> sharedCache;
  private KeyValueStore<String, String> documentIndex;
  private int pendingChunks;
  private long pendingTokens;
  private long oldestPendingMillis = Long.MAX_VALUE;
  private int unavailableAttempts;
  private long retryAtMillis;

  ChunkEmbedder(IndexerTopology.Parts parts) {
    this.parts = parts;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.pending = context.getStateStore(IndexerTopology.PENDING_STORE);
    this.cache = context.getStateStore(IndexerTopology.CACHE_STORE);
    this.sharedCache = context.getStateStore(IndexerTopology.SHARED_CACHE_STORE);
    this.documentIndex = context.getStateStore(IndexerTopology.DOCUMENT_INDEX_STORE);
    try (KeyValueIterator<String, PendingChunk> all = pending.all()) {
      all.forEachRemaining(
          kv -> {
            pendingChunks++;
            pendingTokens += kv.value.getTokens();
          });
    }
    if (pendingChunks > 0) {
      oldestPendingMillis = context.currentSystemTimeMs();
    }
    Duration tick = parts.batch().maxWait().dividedBy(3);
    context.schedule(
        tick.isZero() ? Duration.ofMillis(1) : tick,
        PunctuationType.WALL_CLOCK_TIME,
        now -> {
          boolean due =
              unavailableAttempts > 0
                  || now - oldestPendingMillis >= parts.batch().maxWait().toMillis();
          if (pendingChunks > 0 && due && now >= retryAtMillis) {
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
    dropPending(documentId);
    documentIndex.put(documentId, event.getIndex());
    RecordMetadata origin = context.recordMetadata().orElseThrow();
    List<EmbeddedChunk> chunks = ChunkEvents.of(event, version, contract.get(), drafts);
    for (int position = 0; position < chunks.size(); position++) {
      int tokens = drafts.get(position).tokens();
      pending.put(
          pendingKey(documentId, position),
          new PendingChunk(chunks.get(position), tokens, origin.partition(), origin.offset()));
      pendingChunks++;
      pendingTokens += tokens;
    }
    oldestPendingMillis = Math.min(oldestPendingMillis, context.currentSystemTimeMs());
    while ((pendingChunks >= parts.batch().maxChunks()
            || pendingTokens >= parts.batch().maxTokens())
        && context.currentSystemTimeMs() >= retryAtMillis
        && flushBatch()) {
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
    dropPending(documentId);
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

  private void dropPending(String documentId) {
    List<String> stale = new ArrayList<>();
    try (KeyValueIterator<String, PendingChunk> it =
        pending.prefixScan(documentId + KEY_SEPARATOR, parts.keySerializer())) {
      it.forEachRemaining(
          kv -> {
            stale.add(kv.key);
            pendingChunks--;
            pendingTokens -= kv.value.getTokens();
          });
    }
    stale.forEach(pending::delete);
  }

  private void flushAll() {
    while (pendingChunks > 0 && flushBatch()) {
      // until the store is empty or the provider is unavailable
    }
  }

  /**
   * Embeds, checks and forwards (or dead-letters) one batch from the pending store.
   *
   * @return false when some of the batch stays pending because the provider is unavailable
   */
  private boolean flushBatch() {
    List<KeyValue<String, PendingChunk>> batch = new ArrayList<>();
    long tokens = 0;
    try (KeyValueIterator<String, PendingChunk> it = pending.all()) {
      while (it.hasNext() && batch.size() < parts.batch().maxChunks()) {
        KeyValue<String, PendingChunk> next = it.next();
        if (!batch.isEmpty() && tokens + next.value.getTokens() > parts.batch().maxTokens()) {
          break;
        }
        batch.add(next);
        tokens += next.value.getTokens();
      }
    }
    if (batch.isEmpty()) {
      pendingChunks = 0;
      pendingTokens = 0;
      oldestPendingMillis = Long.MAX_VALUE;
      return true;
    }
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
    for (KeyValue<String, PendingChunk> kv : handled) {
      pending.delete(kv.key);
      pendingChunks--;
      pendingTokens -= kv.value.getTokens();
    }
    if (pendingChunks == 0) {
      oldestPendingMillis = Long.MAX_VALUE;
    }
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
      vectors = embed(contract, group);
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
        pendingChunks,
        failure.message());
  }

  /** Vectors for the group, in order: from the cache where present, the rest in one model call. */
  private List<float[]> embed(
      EmbeddingContract contract, List<KeyValue<String, PendingChunk>> group) {
    float[][] vectors = new float[group.size()][];
    List<Integer> misses = new ArrayList<>();
    for (int i = 0; i < group.size(); i++) {
      String key = ChunkEvents.cacheKey(contract, group.get(i).value.getChunk());
      byte[] cached = cache.get(key);
      if (cached == null) {
        cached = sharedCache.get(key); // made by another indexer application
      }
      if (cached != null) {
        vectors[i] = ChunkEvents.fromBytes(cached);
      } else {
        misses.add(i);
      }
    }
    parts.metrics().cacheHits(group.size() - misses.size());
    if (!misses.isEmpty()) {
      EmbeddingModel model = parts.models().forContract(contract);
      long started = System.nanoTime();
      List<float[]> fresh =
          model.embedPassages(
              misses.stream()
                  .map(i -> ChunkEvents.textToEmbed(contract, group.get(i).value.getChunk(), model))
                  .toList());
      parts.metrics().embedded(misses.size(), System.nanoTime() - started);
      IntStream.range(0, misses.size())
          .forEach(
              j -> {
                int i = misses.get(j);
                vectors[i] = fresh.get(j);
                String key = ChunkEvents.cacheKey(contract, group.get(i).value.getChunk());
                byte[] bytes = ChunkEvents.toBytes(fresh.get(j));
                cache.put(key, bytes);
                // for every other indexer application, through the shared store
                context.forward(
                    new Record<Object, Object>(key, bytes, context.currentSystemTimeMs()),
                    IndexerTopology.EMBEDDINGS_SINK);
              });
    }
    return List.of(vectors);
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

  static String pendingKey(String documentId, int position) {
    return documentId + KEY_SEPARATOR + String.format("%08d", position);
  }
}
