package dev.agentbrain.cli.lifecycle;

import dev.agentbrain.cli.TopicContents;
import dev.agentbrain.cli.Wiring;
import dev.agentbrain.contract.ContractRegistry;
import dev.agentbrain.events.ChunkOperation;
import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.events.DocumentOperation;
import dev.agentbrain.events.EmbeddedChunk;
import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.indexer.ModelPool;
import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.DocumentVersions;
import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.NoSuchIndexException;
import dev.agentbrain.storage.SearchHit;
import dev.agentbrain.storage.VectorQuery;
import dev.agentbrain.topics.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What must hold before a contract version may serve queries, checked against the document log (the
 * source of truth) and every backend the indexer writes:
 *
 * <ul>
 *   <li>every live document of the index in the log has its chunks in the version, at the
 *       document's current version (so documents published during a reindex are there too);
 *   <li>each backend holds exactly the chunks the indexer emitted for those documents;
 *   <li>a sample of queries (the first chunk of a few documents, embedded as a query with the
 *       version's own model) is answered from the version by each backend and finds its document.
 * </ul>
 *
 * The chunk count comes from the chunks topic (the indexer's output for that version), which keeps
 * seven days: a version built longer ago than that cannot be verified this way and says so.
 */
public final class PromotionCheck {

  /** Documents whose first chunk is used as a sample query. */
  private static final int SAMPLE_QUERIES = 5;

  /** How deep a sample query looks for its own document. */
  private static final int SAMPLE_DEPTH = 10;

  /**
   * The outcome.
   *
   * @param lines what was checked, one finding a line, for a person to read
   * @param problems what failed; empty when the version may be promoted
   */
  public record Result(List<String> lines, List<String> problems) {
    /** True when every check held: the version may be promoted. */
    public boolean passed() {
      return problems.isEmpty();
    }
  }

  /** What the indexer emitted for one document into the version (its newest chunk events). */
  private record Emitted(long documentVersion, int chunks, String firstChunkText) {}

  private PromotionCheck() {}

  /**
   * Whether a stored or emitted version is the log's current one; a publisher-clock version (an
   * index embedded before versions came from the log) cannot be told apart and counts as current.
   */
  private static boolean sameVersion(long held, long current) {
    return held == current || !DocumentVersions.comparable(held, current);
  }

  public static Result verify(
      Wiring wiring, EmbeddingContract target, List<Wiring.BackendStore> backends) {
    List<String> lines = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    String index = target.getIndex();
    String physical = ContractRegistry.physicalName(index, target.getVersion());
    Topics topics = wiring.topics();

    Map<String, Long> documents = new TreeMap<>();
    TopicContents.forEachRecord(
        wiring.bootstrap(),
        topics.documents().name(),
        topics.documents().keySerde().deserializer(),
        topics.documents().valueSerde().deserializer(),
        TopicContents.ALL,
        record -> {
          String id = record.key();
          DocumentEvent event = record.value();
          if (event == null || event.getOperation() == DocumentOperation.DELETE) {
            documents.remove(id);
          } else if (event.getIndex().equals(index)) {
            documents.put(id, DocumentVersions.fromLog(record.offset()));
          } else {
            documents.remove(id); // a document can move to another index
          }
        });
    Map<String, Emitted> emitted = new HashMap<>();
    TopicContents.forEach(
        wiring.bootstrap(),
        topics.chunks(),
        TopicContents.ALL,
        (id, chunk) -> record(emitted, chunk, index, target.getVersion()));

    long expectedChunks = 0;
    List<String> notEmbedded = new ArrayList<>();
    for (Map.Entry<String, Long> document : documents.entrySet()) {
      Emitted e = emitted.get(document.getKey());
      if (e == null || !sameVersion(e.documentVersion(), document.getValue())) {
        notEmbedded.add(document.getKey());
      } else {
        expectedChunks += e.chunks();
      }
    }
    lines.add(
        String.format(
            "documents: %d in the log, %d embedded into %s at their current version",
            documents.size(), documents.size() - notEmbedded.size(), physical));
    if (!notEmbedded.isEmpty()) {
      problems.add(
          notEmbedded.size()
              + " document(s) of the log are not embedded into "
              + physical
              + " at their current version (first: "
              + notEmbedded.get(0)
              + ") — let the reindex catch up, and see `agent-brain dlq` for refused ones");
    }

    for (Wiring.BackendStore backend : backends) {
      String name = backend.backend().id();
      long stored;
      try {
        stored = backend.reader().count(physical, Filter.ALL);
      } catch (NoSuchIndexException e) {
        stored = 0;
      }
      lines.add(String.format("%s: %d chunks stored, %d expected", name, stored, expectedChunks));
      if (stored != expectedChunks) {
        problems.add(
            name
                + " holds "
                + stored
                + " chunks of "
                + physical
                + ", not the "
                + expectedChunks
                + " the indexer emitted — wait for its sink to catch up");
        continue;
      }
      List<String> missing = new ArrayList<>();
      for (Map.Entry<String, Long> document : documents.entrySet()) {
        ChunkRecord first = backend.reader().chunk(physical, document.getKey() + "#0").orElse(null);
        if (first == null || !sameVersion(first.documentVersion(), document.getValue())) {
          missing.add(document.getKey());
        }
      }
      if (!missing.isEmpty()) {
        problems.add(
            name
                + " lacks the current version of "
                + missing.size()
                + " document(s) in "
                + physical
                + " (first: "
                + missing.get(0)
                + ")");
      }
    }

    List<String> sample =
        documents.keySet().stream().filter(emitted::containsKey).limit(SAMPLE_QUERIES).toList();
    if (!sample.isEmpty() && problems.isEmpty()) {
      try (ModelPool models = new ModelPool(1)) {
        for (Wiring.BackendStore backend : backends) {
          int found = 0;
          for (String document : sample) {
            float[] query =
                models.forContract(target).embedQuery(emitted.get(document).firstChunkText());
            List<SearchHit> hits =
                backend
                    .reader()
                    .vectorSearch(physical, new VectorQuery(query, SAMPLE_DEPTH, 0, Filter.ALL));
            if (hits.stream().anyMatch(h -> h.chunk().documentId().equals(document))) {
              found++;
            }
          }
          lines.add(
              String.format(
                  "%s: %d of %d sample queries found their document in the top %d",
                  backend.backend().id(), found, sample.size(), SAMPLE_DEPTH));
          if (found < sample.size()) {
            problems.add(
                backend.backend().id()
                    + " answered "
                    + (sample.size() - found)
                    + " sample query(ies) from "
                    + physical
                    + " without the document they were taken from");
          }
        }
      }
    }
    return new Result(List.copyOf(lines), List.copyOf(problems));
  }

  private static void record(
      Map<String, Emitted> emitted, EmbeddedChunk chunk, String index, int version) {
    if (!chunk.getIndex().equals(index) || chunk.getIndexVersion() != version) {
      return;
    }
    String document = chunk.getDocumentId();
    if (chunk.getOperation() == ChunkOperation.DELETE_DOCUMENT) {
      emitted.remove(document);
      return;
    }
    Emitted known = emitted.get(document);
    if (known != null && known.documentVersion() == chunk.getDocumentVersion()) {
      if (chunk.getPosition() == 0) {
        emitted.put(
            document,
            new Emitted(chunk.getDocumentVersion(), chunk.getChunkCount(), chunk.getText()));
      }
      return;
    }
    emitted.put(
        document,
        new Emitted(
            chunk.getDocumentVersion(),
            chunk.getChunkCount(),
            chunk.getPosition() == 0 ? chunk.getText() : ""));
  }
}
