package dev.agentbrain.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.agentbrain.config.Settings;
import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.indexer.IndexerService;
import dev.agentbrain.publish.DocumentPublisher;
import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.KeywordQuery;
import dev.agentbrain.storage.PathGlob;
import dev.agentbrain.storage.Retriever;
import dev.agentbrain.storage.SearchHit;
import dev.agentbrain.storage.VectorQuery;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Chroma backend's keyword index against the real services: built from the Chroma collection,
 * kept current from the chunks topic behind the Chroma sink, resumed after a restart, and scoring
 * every hit as PostgreSQL does.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChromaKeywordIndexIT {

  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final List<String> QUERIES =
      List.of("kafka partition offset", "vector embedding index", "changelog cache state store");

  @TempDir static Path state;
  @TempDir static Path home;

  private static IsolatedPipeline pipeline;
  private static IndexerService indexer;
  private static DocumentPublisher publisher;

  @BeforeAll
  static void start() {
    pipeline = IsolatedPipeline.start("kwfeed", 3);
    indexer = pipeline.indexer(state);
    indexer.start();
    publisher = pipeline.publisher();
  }

  @AfterAll
  static void stop() {
    if (publisher != null) {
      publisher.close();
    }
    if (indexer != null) {
      indexer.close();
    }
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  @Order(1)
  @DisplayName(
      "the keyword index is built from Chroma, follows updates and deletes, resumes after a restart, and scores as PostgreSQL")
  void keywordIndexFollowsChromaAndScoresAsPostgres() throws Exception {
    List<DocumentEvent> documents = pipeline.documents(20, 5);
    int chunks = pipeline.expectedChunks(documents).size();
    publisher.publishAll(documents);
    IsolatedPipeline.awaitBackends(WAIT).until(() -> pipeline.bothBackendsCount(chunks));

    // built from the collection: the feed starts after Chroma holds everything
    try (ChromaKeywordSearch search = new ChromaKeywordSearch(wiringWithHome()).start()) {
      awaitSameKeywordHits(search.retriever(), List.of());

      DocumentEvent shorter = shorterVersion(documents.get(0));
      publisher.publish(shorter).join();
      publisher.delete(documents.get(1).getId()).join();
      awaitSameKeywordHits(search.retriever(), List.of(documents.get(1).getId()));
      assertThat(search.retriever().keywordReadiness().ready()).isTrue();
    }

    // resumed from its committed offsets, then fed what was written while it was down
    publisher.delete(documents.get(2).getId()).join();
    try (ChromaKeywordSearch search = new ChromaKeywordSearch(wiringWithHome()).start()) {
      awaitSameKeywordHits(search.retriever(), List.of(documents.get(2).getId()));
    }
  }

  @Test
  @Order(2)
  @DisplayName(
      "the same stored vectors and the same query vector give the same hits and scores on both backends")
  void vectorScoresAreTheSameOnBothBackends() {
    // the chunks the first test indexed
    String probeId = pipeline.documents(20, 5).get(5).getId() + "#0";
    float[] probe = pipeline.postgres.chunk(pipeline.physical, probeId).orElseThrow().embedding();
    IsolatedPipeline.awaitBackends(WAIT)
        .untilAsserted(
            () -> {
              Map<String, Double> postgres = vectorScores(pipeline.postgres, probe);
              Map<String, Double> chroma = vectorScores(pipeline.chroma, probe);
              assertThat(chroma.keySet()).isEqualTo(postgres.keySet());
              postgres.forEach(
                  (id, score) -> assertThat(chroma.get(id)).as(id).isCloseTo(score, within(1e-5)));
            });
  }

  private static Map<String, Double> vectorScores(Retriever backend, float[] probe) {
    Map<String, Double> scores = new HashMap<>();
    for (SearchHit hit :
        backend.vectorSearch(pipeline.physical, new VectorQuery(probe, 20, 0.0, Filter.ALL))) {
      scores.put(hit.chunk().chunkId(), hit.score());
    }
    return scores;
  }

  /**
   * Waits until both backends have dropped the deleted documents and Chroma's keyword hits equal
   * PostgreSQL's: same ids, same order, same scores. Equal hits alone can be met before either
   * backend has seen a delete.
   */
  private static void awaitSameKeywordHits(Retriever chroma, List<String> deleted) {
    IsolatedPipeline.awaitBackends(WAIT)
        .untilAsserted(
            () -> {
              for (Retriever backend : List.of(pipeline.postgres, chroma)) {
                assertThat(keywordIds(backend, "kafka partition offset", Filter.ALL))
                    .noneMatch(id -> deleted.stream().anyMatch(doc -> id.startsWith(doc + "#")));
              }
              for (String query : QUERIES) {
                for (Filter filter :
                    List.of(Filter.ALL, new Filter.SourceGlob(new PathGlob("notes/note-1*.md")))) {
                  List<SearchHit> expected = keyword(pipeline.postgres, query, filter);
                  List<SearchHit> actual = keyword(chroma, query, filter);
                  assertThat(ids(actual)).as(query).isEqualTo(ids(expected));
                  for (int i = 0; i < expected.size(); i++) {
                    assertThat(actual.get(i).score())
                        .as("%s: %s", query, ids(actual).get(i))
                        .isCloseTo(expected.get(i).score(), within(1e-9));
                  }
                }
              }
            });
  }

  private static Wiring wiringWithHome() {
    Map<String, String> env = new HashMap<>(pipeline.env);
    env.put(Settings.HOME.env(), home.toString());
    return new Wiring(Settings.of(env));
  }

  private static DocumentEvent shorterVersion(DocumentEvent document) {
    String content = "# Note\n\nkafka kafka partition.\n";
    return DocumentEvent.newBuilder(document)
        .setContent(content)
        .setContentHash(dev.agentbrain.hashing.ContentHash.sha256(content))
        .setVersion(document.getVersion() + 1)
        .build();
  }

  private static List<SearchHit> keyword(Retriever backend, String query, Filter filter) {
    return backend.keywordSearch(pipeline.physical, new KeywordQuery(query, 50, filter));
  }

  private static List<String> keywordIds(Retriever backend, String query, Filter filter) {
    return ids(keyword(backend, query, filter));
  }

  private static List<String> ids(List<SearchHit> hits) {
    return hits.stream().map(hit -> hit.chunk().chunkId()).toList();
  }
}
