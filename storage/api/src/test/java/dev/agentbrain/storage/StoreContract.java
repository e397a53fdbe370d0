package dev.agentbrain.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.agentbrain.storage.Filter.Field;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The behaviour every backend must share, so that the same writes and the same query give the same
 * ids and the same scores on each (which shadow comparisons rely on). Each adapter's integration
 * test implements this interface; every test gets a fresh index of {@value #DIMENSIONS} dimensions.
 *
 * <p>Expected results are computed here from the vectors (exact cosine similarity in double
 * precision) and each backend must come within half of {@value #SCORE_TOLERANCE} of them, so two
 * backends that both pass give the same ids and agree on every score to within {@value
 * #SCORE_TOLERANCE}. The data sets are small enough for HNSW to be exact.
 */
public interface StoreContract {

  int DIMENSIONS = 8;

  /** How far two backends' scores for the same vectors and query may be apart. */
  double SCORE_TOLERANCE = 1e-5;

  String MODEL = "contract-model";

  /** Tells apart concurrent runs of the suite against the same servers. */
  String RUN =
      ThreadLocalRandom.current()
          .ints(6, 'a', 'z' + 1)
          .mapToObj(c -> String.valueOf((char) c))
          .collect(Collectors.joining());

  ChunkWriter writer();

  Retriever retriever();

  /** The index of the running test. */
  default IndexSpec spec(TestInfo test) {
    String method = test.getTestMethod().orElseThrow().getName();
    return new IndexSpec(
        "ct_" + RUN + "_" + Integer.toHexString(method.hashCode()), DIMENSIONS, MODEL, "english");
  }

  @BeforeEach
  default void createIndex(TestInfo test) {
    writer().dropIndex(spec(test).physicalName());
    writer().ensureIndex(spec(test));
  }

  @AfterEach
  default void dropIndex(TestInfo test) {
    writer().dropIndex(spec(test).physicalName());
  }

  // ---- ranking and scores ----------------------------------------------------------------------

  @Test
  @DisplayName("hits come back best first, scored by the cosine similarity of the vectors")
  default void hitsAreRankedByCosineSimilarity(TestInfo test) {
    String index = spec(test).physicalName();
    List<ChunkRecord> fan = fan();
    write(index, fan);
    float[] query = direction(5, 1.0f);

    List<SearchHit> hits = search(index, query, 10, 0.0, Filter.ALL);

    List<ChunkRecord> expected =
        fan.stream()
            .sorted(
                Comparator.comparingDouble(
                        (ChunkRecord c) -> Similarity.cosine(query, c.embedding()))
                    .reversed())
            .toList();
    assertThat(ids(hits))
        .containsExactlyElementsOf(expected.stream().map(ChunkRecord::chunkId).toList());
    for (SearchHit hit : hits) {
      double reference =
          Similarity.fromCosineDistance(1 - Similarity.cosine(query, vectorOf(fan, hit)));
      assertThat(hit.score())
          .as(hit.chunk().chunkId())
          .isCloseTo(reference, within(SCORE_TOLERANCE / 2));
    }
  }

  @Test
  @DisplayName("a direction opposite to the query scores 0, never below")
  default void oppositeDirectionScoresZero(TestInfo test) {
    String index = spec(test).physicalName();
    write(index, List.of(chunk("far", 1, 0, direction(180, 1.0f))));

    List<SearchHit> hits = search(index, direction(0, 1.0f), 5, 0.0, Filter.ALL);

    assertThat(hits).singleElement().extracting(SearchHit::score).isEqualTo(0.0);
  }

  @Test
  @DisplayName("vector and keyword hits carry the chunk's fields but not its vector")
  default void hitsCarryFieldsWithoutVector(TestInfo test) {
    String index = spec(test).physicalName();
    ChunkRecord stored = fullChunk();
    write(index, List.of(stored));

    SearchHit byVector = search(index, stored.embedding(), 1, 0.0, Filter.ALL).getFirst();
    SearchHit byKeyword = keyword(index, "PostgreSQL", 1, Filter.ALL).getFirst();

    for (SearchHit hit : List.of(byVector, byKeyword)) {
      assertThat(hit.chunk())
          .usingRecursiveComparison()
          .ignoringFields("embedding")
          .isEqualTo(stored);
      assertThat(hit.chunk().embedding()).isEmpty();
    }
  }

  @Test
  @DisplayName("the similarity threshold is inclusive: a hit scoring exactly the threshold is kept")
  default void thresholdIsInclusive(TestInfo test) {
    String index = spec(test).physicalName();
    write(index, fan());
    float[] query = direction(5, 1.0f);
    List<SearchHit> all = search(index, query, 10, 0.0, Filter.ALL);
    double third = all.get(2).score();

    List<SearchHit> atThird = search(index, query, 10, third, Filter.ALL);
    List<SearchHit> aboveThird = search(index, query, 10, Math.nextUp(third), Filter.ALL);

    assertThat(ids(atThird)).containsExactlyElementsOf(ids(all.subList(0, 3)));
    assertThat(ids(aboveThird)).containsExactlyElementsOf(ids(all.subList(0, 2)));
  }

  @Test
  @DisplayName("topK caps the number of hits")
  default void topKCapsHits(TestInfo test) {
    String index = spec(test).physicalName();
    write(index, fan());
    float[] query = direction(5, 1.0f);

    List<SearchHit> two = search(index, query, 2, 0.0, Filter.ALL);

    assertThat(ids(two))
        .containsExactlyElementsOf(ids(search(index, query, 10, 0.0, Filter.ALL).subList(0, 2)));
  }

  @Test
  @DisplayName("a stored chunk comes back with every field and its vector")
  default void chunkRoundTrips(TestInfo test) {
    String index = spec(test).physicalName();
    ChunkRecord stored = fullChunk();
    write(index, List.of(stored));

    assertThat(retriever().chunk(index, stored.chunkId()))
        .get()
        .usingRecursiveComparison()
        .isEqualTo(stored);
    assertThat(retriever().chunk(index, "missing")).isEmpty();
  }

  // ---- writes ---------------------------------------------------------------------------------

  @Test
  @DisplayName("an updated document with fewer chunks leaves no stale chunk")
  default void updateWithFewerChunksLeavesNoStaleChunk(TestInfo test) {
    String index = spec(test).physicalName();
    write(index, document("guide", 1, 3));
    write(index, document("other", 1, 2));

    write(index, document("guide", 2, 1));

    assertThat(retriever().count(index, Filter.eq(new Field.DocumentId(), "guide"))).isEqualTo(1);
    assertThat(retriever().chunk(index, "guide#1#1")).isEmpty();
    assertThat(ids(search(index, direction(0, 1.0f), 10, 0.0, Filter.ALL)))
        .containsExactlyInAnyOrder("guide#2#0", "other#1#0", "other#1#1");
  }

  @Test
  @DisplayName("a document written in two versions in one call keeps only the later version")
  default void laterVersionInOneCallWins(TestInfo test) {
    String index = spec(test).physicalName();
    List<ChunkRecord> both =
        Stream.concat(document("guide", 1, 3).stream(), document("guide", 2, 1).stream()).toList();

    write(index, both);

    assertThat(retriever().count(index, Filter.ALL)).isEqualTo(1);
    assertThat(retriever().chunk(index, "guide#2#0")).isPresent();
  }

  @Test
  @DisplayName(
      "an older version written after a newer one (a replay racing the live indexer) changes nothing")
  default void olderVersionNeverReplacesNewer(TestInfo test) {
    String index = spec(test).physicalName();
    write(index, document("guide", 2, 1));
    write(index, document("other", 1, 1));

    write(
        index,
        Stream.concat(document("guide", 1, 3).stream(), document("other", 2, 2).stream()).toList());

    assertThat(retriever().count(index, Filter.eq(new Field.DocumentId(), "guide"))).isEqualTo(1);
    assertThat(retriever().chunk(index, "guide#2#0")).isPresent();
    assertThat(retriever().chunk(index, "guide#1#0")).isEmpty();
    assertThat(retriever().count(index, Filter.eq(new Field.DocumentId(), "other"))).isEqualTo(2);
  }

  @Test
  @DisplayName("deleting a document removes all of its chunks and nothing else")
  default void deleteRemovesAllChunks(TestInfo test) {
    String index = spec(test).physicalName();
    write(index, document("guide", 1, 3));
    write(index, document("other", 1, 2));

    writer().write(index, List.of(new ChunkWrite.DeleteDocument("guide", 2)));

    assertThat(retriever().count(index, Filter.eq(new Field.DocumentId(), "guide"))).isZero();
    assertThat(retriever().count(index, Filter.ALL)).isEqualTo(2);
  }

  // ---- versions: ordering, whole versions, deletes ----------------------------------------------

  @Test
  @DisplayName(
      "a version written in parts stays out of sight until its last chunk: readers see the previous version whole, then only the new one")
  default void versionWrittenInPartsIsSeenWhole(TestInfo test) {
    String index = spec(test).physicalName();
    long old = DocumentVersions.fromLog(3);
    long next = DocumentVersions.fromLog(9);
    writeCounted(index, document("guide", old, 2), 2);
    List<ChunkRecord> replacement = document("guide", next, 3);

    writeCounted(index, replacement.subList(0, 1), 3);
    assertSeesOnly(index, document("guide", old, 2));
    writeCounted(index, replacement.subList(1, 2), 3);
    assertSeesOnly(index, document("guide", old, 2));
    writeCounted(index, replacement.subList(2, 3), 3);

    assertSeesOnly(index, replacement);
    assertThat(retriever().count(index, Filter.ALL)).isEqualTo(3);
  }

  @Test
  @DisplayName("a late delete from a stale writer removes nothing newer than itself")
  default void lateDeleteRemovesNothingNewer(TestInfo test) {
    String index = spec(test).physicalName();
    List<ChunkRecord> newer = document("guide", DocumentVersions.fromLog(20), 2);
    writeCounted(index, newer, 2);

    writer()
        .write(index, List.of(new ChunkWrite.DeleteDocument("guide", DocumentVersions.fromLog(7))));

    assertSeesOnly(index, newer);
  }

  @Test
  @DisplayName("a document deleted at a newer version is not brought back by a late older write")
  default void deleteKeepsLateOlderWritesOut(TestInfo test) {
    String index = spec(test).physicalName();
    writeCounted(index, document("guide", DocumentVersions.fromLog(1), 1), 1);
    writer()
        .write(index, List.of(new ChunkWrite.DeleteDocument("guide", DocumentVersions.fromLog(8))));

    writeCounted(index, document("guide", DocumentVersions.fromLog(5), 2), 2);

    assertThat(retriever().count(index, Filter.ALL)).isZero();
    assertThat(search(index, direction(0, 1.0f), 10, 0.0, Filter.ALL)).isEmpty();
    // published again after the delete: a newer version is written as usual
    List<ChunkRecord> again = document("guide", DocumentVersions.fromLog(12), 1);
    writeCounted(index, again, 1);
    assertSeesOnly(index, again);
  }

  @Test
  @DisplayName(
      "a version from the log replaces a publisher-clock version of an index written before log versions")
  default void logVersionReplacesClockVersion(TestInfo test) {
    String index = spec(test).physicalName();
    List<ChunkRecord> clock = document("guide", 1_733_000_000_000_000L, 2);
    write(index, clock); // as indexers wrote before versions came from the log
    List<ChunkRecord> logged = document("guide", DocumentVersions.fromLog(0), 2);

    writeCounted(index, logged.subList(0, 1), 2);
    assertSeesOnly(index, clock);
    writeCounted(index, logged.subList(1, 2), 2);

    assertSeesOnly(index, logged);
  }

  /**
   * Asserts that every read shows exactly these chunks of their document: search, chunk by id and
   * the count of the document's chunks.
   */
  private void assertSeesOnly(String index, List<ChunkRecord> expected) {
    String documentId = expected.getFirst().documentId();
    List<String> expectedIds = expected.stream().map(ChunkRecord::chunkId).toList();
    List<SearchHit> hits =
        search(index, direction(0, 1.0f), 10, 0.0, Filter.eq(new Field.DocumentId(), documentId));
    assertThat(ids(hits)).containsExactlyInAnyOrderElementsOf(expectedIds);
    for (ChunkRecord chunk : expected) {
      assertThat(retriever().chunk(index, chunk.chunkId()))
          .hasValueSatisfying(
              stored -> {
                assertThat(stored.documentVersion()).isEqualTo(chunk.documentVersion());
                assertThat(stored.text()).isEqualTo(chunk.text());
              });
    }
  }

  private void writeCounted(String index, List<ChunkRecord> chunks, int chunkCount) {
    writer()
        .write(
            index,
            chunks.stream().<ChunkWrite>map(c -> new ChunkWrite.Upsert(c, chunkCount)).toList());
  }

  @Test
  @DisplayName("writing the same batch twice leaves the same state as writing it once")
  default void rewritingIsIdempotent(TestInfo test) {
    String index = spec(test).physicalName();
    List<ChunkRecord> batch = document("guide", 1, 3);
    write(index, batch);
    List<SearchHit> once = search(index, direction(10, 1.0f), 10, 0.0, Filter.ALL);

    write(index, batch);

    List<SearchHit> twice = search(index, direction(10, 1.0f), 10, 0.0, Filter.ALL);
    assertThat(retriever().count(index, Filter.ALL)).isEqualTo(3);
    assertThat(ids(twice)).containsExactlyElementsOf(ids(once));
    // a rebuilt graph may round the last float digit differently
    for (int i = 0; i < once.size(); i++) {
      assertThat(twice.get(i).score()).isCloseTo(once.get(i).score(), within(SCORE_TOLERANCE));
    }
  }

  @Test
  @DisplayName("rewriting a chunk replaces its metadata instead of merging it")
  default void rewriteReplacesMetadata(TestInfo test) {
    String index = spec(test).physicalName();
    ChunkRecord first = chunk("guide", 1, 0, direction(0, 1.0f));
    ChunkRecord tagged = first.toBuilder().metadata(Map.of("draft", "yes", "team", "a")).build();
    ChunkRecord retagged = first.toBuilder().text("edited").metadata(Map.of("team", "b")).build();
    write(index, List.of(tagged));

    write(index, List.of(retagged));

    ChunkRecord stored = retriever().chunk(index, first.chunkId()).orElseThrow();
    assertThat(stored.metadata()).isEqualTo(Map.of("team", "b"));
    assertThat(stored.text()).isEqualTo("edited");
    assertThat(retriever().count(index, Filter.eq(new Field.Metadata("draft"), "yes"))).isZero();
  }

  @Test
  @DisplayName("a batch with one vector of the wrong length is refused before anything is written")
  default void wrongLengthVectorIsRefusedBeforeWriting(TestInfo test) {
    String index = spec(test).physicalName();
    List<ChunkWrite> writes =
        List.of(
            new ChunkWrite.Upsert(chunk("good", 1, 0, direction(0, 1.0f))),
            new ChunkWrite.Upsert(chunk("bad", 1, 0, new float[] {1, 2, 3})));

    assertThatThrownBy(() -> writer().write(index, writes))
        .isInstanceOf(ContractMismatchException.class)
        .hasMessageContaining("3 dimensions")
        .hasMessageContaining("expects " + DIMENSIONS);
    assertThat(retriever().count(index, Filter.ALL)).isZero();
  }

  // ---- filters --------------------------------------------------------------------------------

  @Test
  @DisplayName("a multi-value IN filter returns exactly the chunks with one of the values")
  default void multiValueInFilter(TestInfo test) {
    assertFilterSelects(
        test,
        new Filter.In(new Field.SourceType(), List.of("doc", "code")),
        Set.of("readme#1#0", "main#1#0", "notes#1#0"));
  }

  @Test
  @DisplayName("a multi-value IN on a metadata key returns the chunks with any of the values")
  default void multiValueMetadataFilter(TestInfo test) {
    assertFilterSelects(
        test,
        new Filter.In(new Field.Metadata("team"), List.of("search", "ingest", "nobody")),
        Set.of("readme#1#0", "main#1#0", "notes#1#0"));
    assertFilterSelects(
        test,
        new Filter.And(
            List.of(
                new Filter.In(new Field.Metadata("team"), List.of("search", "ingest")),
                new Filter.In(new Field.Language(), List.of("markdown", "python")),
                new Filter.In(new Field.DocumentId(), List.of("readme", "notes", "main")))),
        Set.of("readme#1#0", "notes#1#0"));
  }

  @Test
  @DisplayName("an AND filter returns the chunks that match every part")
  default void andFilter(TestInfo test) {
    assertFilterSelects(
        test,
        new Filter.And(
            List.of(
                Filter.eq(new Field.SourceType(), "doc"),
                Filter.eq(new Field.Metadata("team"), "search"))),
        Set.of("readme#1#0"));
  }

  @Test
  @DisplayName("an OR filter returns the chunks that match any part")
  default void orFilter(TestInfo test) {
    assertFilterSelects(
        test,
        new Filter.Or(
            List.of(
                Filter.eq(new Field.Language(), "java"),
                Filter.eq(new Field.Metadata("team"), "ingest"),
                Filter.eq(new Field.Source(), "docs/readme.md"))),
        Set.of("main#1#0", "mainTest#1#0", "notes#1#0", "readme#1#0"));
  }

  @Test
  @DisplayName("ALL inside AND and OR behaves as 'every chunk'")
  default void allInsideCompositeFilters(TestInfo test) {
    assertFilterSelects(
        test,
        new Filter.And(List.of(Filter.ALL, Filter.eq(new Field.SourceType(), "test"))),
        Set.of("mainTest#1#0"));
    assertFilterSelects(
        test,
        new Filter.Or(List.of(Filter.ALL, Filter.eq(new Field.SourceType(), "test"))),
        Set.of("readme#1#0", "main#1#0", "mainTest#1#0", "notes#1#0"));
  }

  @Test
  @DisplayName("a metadata key never matches the well-known field of the same name")
  default void metadataKeysDoNotClashWithFields(TestInfo test) {
    assertFilterSelects(
        test, Filter.eq(new Field.Metadata("source_type"), "spoofed"), Set.of("notes#1#0"));
    assertFilterSelects(test, Filter.eq(new Field.SourceType(), "spoofed"), Set.of());
    assertFilterSelects(test, Filter.eq(new Field.Metadata("missing"), "x"), Set.of());
  }

  @Test
  @DisplayName(
      "injection attempts in filter values and metadata keys match nothing and harm nothing")
  default void injectionAttemptsAreHarmless(TestInfo test) {
    String index = spec(test).physicalName();
    write(index, filterFixture());
    List<Filter> attacks =
        List.of(
            Filter.eq(new Field.SourceType(), "doc' OR '1'='1"),
            Filter.eq(new Field.DocumentId(), "x'); DROP TABLE agentbrain_indexes; --"),
            Filter.eq(new Field.Metadata("team' OR 1=1 --"), "search"),
            Filter.eq(new Field.Metadata("$and"), "search"),
            Filter.eq(new Field.Metadata("team\"}, {\"$ne\": \""), "x"),
            Filter.eq(new Field.Language(), "{\"$ne\": \"\"}"),
            Filter.eq(new Field.Metadata("team"), "search\\' OR TRUE --"));

    for (Filter attack : attacks) {
      assertThat(search(index, direction(0, 1.0f), 10, 0.0, attack))
          .as(attack.toString())
          .isEmpty();
      assertThat(keyword(index, "text", 10, attack)).as(attack.toString()).isEmpty();
      assertThat(retriever().count(index, attack)).as(attack.toString()).isZero();
    }
    assertThat(retriever().count(index, Filter.ALL)).isEqualTo(filterFixture().size());
  }

  @Test
  @DisplayName("a path glob: * stays inside a directory, ** crosses them, ? is one character")
  default void pathGlobFilter(TestInfo test) {
    assertFilterSelects(test, glob("docs/*.md"), Set.of("readme#1#0", "notes#1#0"));
    assertFilterSelects(test, glob("src/**"), Set.of("main#1#0", "mainTest#1#0"));
    assertFilterSelects(test, glob("**/*Test.java"), Set.of("mainTest#1#0"));
    assertFilterSelects(test, glob("src/**/Main.java"), Set.of("main#1#0"));
    assertFilterSelects(test, glob("?ocs/readme.md"), Set.of("readme#1#0"));
    assertFilterSelects(test, glob("*.md"), Set.of());
    assertFilterSelects(
        test, glob("**"), Set.of("readme#1#0", "main#1#0", "mainTest#1#0", "notes#1#0"));
  }

  @Test
  @DisplayName("a path glob combines with other filters in AND and OR")
  default void pathGlobCombinesWithOtherFilters(TestInfo test) {
    assertFilterSelects(
        test,
        new Filter.And(List.of(glob("docs/**"), Filter.eq(new Field.Metadata("team"), "search"))),
        Set.of("readme#1#0"));
    assertFilterSelects(
        test,
        new Filter.Or(
            List.of(glob("**/*Test.java"), Filter.eq(new Field.Metadata("team"), "ingest"))),
        Set.of("mainTest#1#0", "notes#1#0"));
    assertFilterSelects(
        test,
        new Filter.And(
            List.of(
                new Filter.In(new Field.SourceType(), List.of("doc", "code", "test")),
                new Filter.Or(List.of(glob("src/M*.java"), glob("docs/n*"))))),
        Set.of("main#1#0", "mainTest#1#0", "notes#1#0"));
  }

  @Test
  @DisplayName("LIKE and regex syntax inside a path glob is taken literally")
  default void pathGlobIsNotLikeOrRegex(TestInfo test) {
    assertFilterSelects(test, glob("docs/%"), Set.of());
    assertFilterSelects(test, glob("docs/_eadme.md"), Set.of());
    assertFilterSelects(test, glob("docs/.*"), Set.of());
    assertFilterSelects(test, glob("docs/readme[.]md"), Set.of());
    assertFilterSelects(test, glob("(docs|src)/.+"), Set.of());
    assertFilterSelects(test, glob("docs/readme.md$|.*"), Set.of());
    assertFilterSelects(test, glob("src/Main\\.java"), Set.of());
    assertFilterSelects(test, glob("x' OR '1'='1"), Set.of());
  }

  // ---- keyword search -------------------------------------------------------------------------

  @Test
  @DisplayName(
      "keyword hits are ranked by BM25 from the index's statistics, divided by the query's bound")
  default void keywordHitsAreScoredByBm25(TestInfo test) {
    String index = spec(test).physicalName();
    write(index, greek());

    List<SearchHit> hits = keyword(index, "beta gamma gamma", 10, Filter.ALL);

    Map<String, Double> expected = bm25(greek(), List.of("beta", "gamma", "gamma"));
    assertThat(ids(hits)).containsExactly("g1#1#0", "g3#1#0", "g4#1#0");
    for (SearchHit hit : hits) {
      assertThat(hit.score())
          .as(hit.chunk().chunkId())
          .isCloseTo(expected.get(hit.chunk().chunkId()), within(SCORE_TOLERANCE / 2));
    }
  }

  @Test
  @DisplayName("a filter limits keyword hits exactly as vector hits, without changing their scores")
  default void keywordSearchIsFiltered(TestInfo test) {
    String index = spec(test).physicalName();
    write(index, greek());
    List<SearchHit> all = keyword(index, "beta gamma gamma", 10, Filter.ALL);

    List<SearchHit> docs = keyword(index, "beta gamma gamma", 10, glob("docs/**"));
    List<SearchHit> team =
        keyword(
            index,
            "beta gamma gamma",
            10,
            new Filter.And(
                List.of(
                    new Filter.In(new Field.DocumentId(), List.of("g1", "g4")),
                    Filter.eq(new Field.Metadata("team"), "b"))));

    assertThat(ids(docs)).containsExactly("g1#1#0", "g3#1#0");
    assertThat(ids(team)).containsExactly("g4#1#0");
    assertThat(docs.getFirst().score()).isCloseTo(all.getFirst().score(), within(1e-12));
    assertThat(team.getFirst().score()).isCloseTo(all.get(2).score(), within(1e-12));
  }

  @Test
  @DisplayName("a keyword query of stop words only, or of unknown words, finds nothing")
  default void keywordQueryWithoutKnownTermsFindsNothing(TestInfo test) {
    String index = spec(test).physicalName();
    write(index, greek());

    assertThat(keyword(index, "the and of", 10, Filter.ALL)).isEmpty();
    assertThat(keyword(index, "omicron", 10, Filter.ALL)).isEmpty();
    assertThat(keyword(index, "   ", 10, Filter.ALL)).isEmpty();
  }

  @Test
  @DisplayName("equal keyword scores are ordered by chunk id, and topK cuts after that order")
  default void keywordTiesAreOrderedByChunkId(TestInfo test) {
    String index = spec(test).physicalName();
    write(
        index,
        List.of(
            textChunk("c", "docs/c.md", "kappa lambda", Map.of()),
            textChunk("a", "docs/a.md", "kappa lambda", Map.of()),
            textChunk("b", "docs/b.md", "kappa lambda", Map.of()),
            textChunk("d", "docs/d.md", "mu", Map.of())));

    assertThat(ids(keyword(index, "kappa", 10, Filter.ALL)))
        .containsExactly("a#1#0", "b#1#0", "c#1#0");
    assertThat(ids(keyword(index, "kappa", 2, Filter.ALL))).containsExactly("a#1#0", "b#1#0");
  }

  @Test
  @DisplayName(
      "updated and deleted documents leave keyword search, statistics follow, and a late older version changes nothing")
  default void keywordSearchFollowsWrites(TestInfo test) {
    String index = spec(test).physicalName();
    write(index, greek());

    write(index, List.of(textChunk("g1", 2, "docs/g1.md", "omega", Map.of())));
    writer().write(index, List.of(new ChunkWrite.DeleteDocument("g4", 2)));
    // a late older version of a document changes nothing, in keyword search too
    write(index, List.of(textChunk("g3", 0, "docs/g3.md", "omega omega", Map.of())));

    List<ChunkRecord> now =
        List.of(
            greek().get(1),
            greek().get(2),
            greek().get(4),
            textChunk("g1", 2, "docs/g1.md", "omega", Map.of()));
    List<SearchHit> hits = keyword(index, "beta gamma gamma omega", 10, Filter.ALL);
    Map<String, Double> expected = bm25(now, List.of("beta", "gamma", "gamma", "omega"));
    assertThat(ids(hits)).containsExactlyInAnyOrder("g3#1#0", "g1#2#0");
    for (SearchHit hit : hits) {
      assertThat(hit.score())
          .as(hit.chunk().chunkId())
          .isCloseTo(expected.get(hit.chunk().chunkId()), within(SCORE_TOLERANCE / 2));
    }
  }

  @Test
  @DisplayName("query syntax and injection attempts in keyword text are plain words")
  default void keywordTextIsPlainWords(TestInfo test) {
    String index = spec(test).physicalName();
    write(index, greek());

    for (String text :
        List.of(
            "beta' OR '1'='1",
            "beta); DROP TABLE agentbrain_indexes; --",
            "beta | !gamma & (zeta)",
            "beta:* <-> gamma",
            "title:beta AND NOT gamma~2 \\ \"quoted\" \u0000")) {
      assertThat(ids(keyword(index, text, 10, Filter.ALL))).as(text).contains("g1#1#0", "g3#1#0");
    }
    assertThat(retriever().count(index, Filter.ALL)).isEqualTo(greek().size());
  }

  // ---- index lifecycle ------------------------------------------------------------------------

  @Test
  @DisplayName("ensureIndex on a matching index changes nothing")
  default void ensureIndexIsIdempotent(TestInfo test) {
    String index = spec(test).physicalName();
    write(index, document("guide", 1, 2));

    writer().ensureIndex(spec(test));

    assertThat(retriever().count(index, Filter.ALL)).isEqualTo(2);
  }

  @Test
  @DisplayName("ensureIndex with other dimensions fails naming the stored and the expected value")
  default void otherDimensionsAreAContractMismatch(TestInfo test) {
    IndexSpec other = new IndexSpec(spec(test).physicalName(), 12, MODEL, "english");

    assertThatThrownBy(() -> writer().ensureIndex(other))
        .isInstanceOf(ContractMismatchException.class)
        .hasMessageContaining("dimensions " + DIMENSIONS)
        .hasMessageContaining("expects 12");
  }

  @Test
  @DisplayName("ensureIndex with another model fails naming both models")
  default void otherModelIsAContractMismatch(TestInfo test) {
    IndexSpec other =
        new IndexSpec(spec(test).physicalName(), DIMENSIONS, "other-model", "english");

    assertThatThrownBy(() -> writer().ensureIndex(other))
        .isInstanceOf(ContractMismatchException.class)
        .hasMessageContaining(MODEL)
        .hasMessageContaining("other-model");
  }

  @Test
  @DisplayName("a query vector of the wrong length fails naming both lengths")
  default void wrongLengthQueryIsAContractMismatch(TestInfo test) {
    String index = spec(test).physicalName();

    assertThatThrownBy(() -> search(index, new float[] {1, 0, 0}, 3, 0.0, Filter.ALL))
        .isInstanceOf(ContractMismatchException.class)
        .hasMessageContaining("3 dimensions")
        .hasMessageContaining("expects " + DIMENSIONS);
  }

  @Test
  @DisplayName("a dropped index is gone, and dropping it again is not an error")
  default void droppedIndexIsGone(TestInfo test) {
    String index = spec(test).physicalName();
    write(index, document("guide", 1, 2));

    writer().dropIndex(index);
    writer().dropIndex(index);

    assertThatThrownBy(() -> retriever().count(index, Filter.ALL))
        .isInstanceOf(NoSuchIndexException.class)
        .hasMessageContaining(index);
    assertThatThrownBy(() -> search(index, direction(0, 1.0f), 3, 0.0, Filter.ALL))
        .isInstanceOf(NoSuchIndexException.class);
    assertThatThrownBy(() -> retriever().chunk(index, "guide#1#0"))
        .isInstanceOf(NoSuchIndexException.class);
    assertThatThrownBy(() -> write(index, document("guide", 1, 1)))
        .isInstanceOf(NoSuchIndexException.class);
  }

  // ---- fixtures -------------------------------------------------------------------------------

  private void assertFilterSelects(TestInfo test, Filter filter, Set<String> expected) {
    String index = spec(test).physicalName();
    if (retriever().count(index, Filter.ALL) == 0) {
      write(index, filterFixture());
    }

    assertThat(ids(search(index, direction(0, 1.0f), 10, 0.0, filter)))
        .as("search with %s", filter)
        .containsExactlyInAnyOrderElementsOf(expected);
    // every fixture chunk holds the word "text", so the filter alone decides
    assertThat(ids(keyword(index, "text", 10, filter)))
        .as("keyword search with %s", filter)
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(retriever().count(index, filter))
        .as("count with %s", filter)
        .isEqualTo(expected.size());
  }

  private static List<ChunkRecord> filterFixture() {
    return List.of(
        chunk("readme", "docs/readme.md", "doc", "markdown", Map.of("team", "search"), 0),
        chunk("main", "src/Main.java", "code", "java", Map.of("team", "search"), 20),
        chunk("mainTest", "src/MainTest.java", "test", "java", Map.of(), 40),
        chunk(
            "notes",
            "docs/notes.md",
            "doc",
            "markdown",
            Map.of("team", "ingest", "source_type", "spoofed"),
            60));
  }

  /** A chunk with every field set, metadata that could be mistaken for fields, and odd text. */
  private static ChunkRecord fullChunk() {
    return ChunkRecord.builder()
        .chunkId("guide#3#7")
        .documentId("guide")
        .documentVersion(3)
        .position(7)
        .text("Chroma and PostgreSQL — ünïcode, \"quotes\" and 'apostrophes'")
        .source("docs/guide.md")
        .sourceType("doc")
        .language("markdown")
        .headingPath("Guide > Setup")
        .contentHash("ab12")
        .metadata(Map.of("team", "search", "it's", "a \"quoted\" value", "source", "shadowed"))
        .embedding(direction(40, 3.5f))
        .build();
  }

  private static Filter glob(String pattern) {
    return new Filter.SourceGlob(new PathGlob(pattern));
  }

  /**
   * Chunks of words that every analysis keeps as they are (no stop word, no stem to cut), so that
   * the expected BM25 can be computed here from the words themselves.
   */
  private static List<ChunkRecord> greek() {
    return List.of(
        textChunk("g1", "docs/g1.md", "alpha beta beta gamma", Map.of("team", "a")),
        textChunk("g2", "docs/g2.md", "alpha delta", Map.of("team", "a")),
        textChunk("g3", "docs/g3.md", "beta gamma gamma gamma epsilon zeta", Map.of("team", "b")),
        textChunk(
            "g4", "src/g4.txt", "zeta theta gamma theta theta theta theta", Map.of("team", "b")),
        textChunk("g5", "src/g5.txt", "eta theta", Map.of()));
  }

  private static ChunkRecord textChunk(
      String documentId, String source, String text, Map<String, String> metadata) {
    return textChunk(documentId, 1, source, text, metadata);
  }

  private static ChunkRecord textChunk(
      String documentId, long version, String source, String text, Map<String, String> metadata) {
    return ChunkRecord.builder()
        .chunkId(documentId + "#" + version + "#0")
        .documentId(documentId)
        .documentVersion(version)
        .position(0)
        .text(text)
        .source(source)
        .sourceType("doc")
        .language("markdown")
        .metadata(metadata)
        .embedding(direction(documentId.hashCode() % 90, 1.0f))
        .build();
  }

  /**
   * The reference keyword score of each chunk that holds a query word: {@link Bm25#STANDARD} over
   * whitespace-separated words, divided by the query's bound ({@link Similarity#fromBm25}).
   */
  private static Map<String, Double> bm25(List<ChunkRecord> chunks, List<String> query) {
    Map<String, Integer> queryCounts = new java.util.HashMap<>();
    query.forEach(word -> queryCounts.merge(word, 1, Integer::sum));
    double averageLength =
        chunks.stream().mapToInt(c -> c.text().split(" ").length).average().orElse(1);
    Map<String, Double> weights = new java.util.HashMap<>();
    queryCounts.forEach(
        (word, count) -> {
          long df =
              chunks.stream().filter(c -> List.of(c.text().split(" ")).contains(word)).count();
          if (df > 0) {
            weights.put(word, count * Bm25.idf(chunks.size(), df));
          }
        });
    double bound = Bm25.STANDARD.bound(weights.values().stream().mapToDouble(w -> w).sum());
    Map<String, Double> scores = new java.util.HashMap<>();
    for (ChunkRecord chunk : chunks) {
      List<String> words = List.of(chunk.text().split(" "));
      double score = 0;
      for (Map.Entry<String, Double> weight : weights.entrySet()) {
        int tf = (int) words.stream().filter(weight.getKey()::equals).count();
        if (tf > 0) {
          score += weight.getValue() * Bm25.STANDARD.termWeight(tf, words.size(), averageLength);
        }
      }
      if (score > 0) {
        scores.put(chunk.chunkId(), Similarity.fromBm25(score, bound));
      }
    }
    return scores;
  }

  private List<SearchHit> keyword(String index, String text, int topK, Filter filter) {
    return retriever().keywordSearch(index, new KeywordQuery(text, topK, filter));
  }

  /** Six chunks at distinct angles and lengths, so their order and scores are unambiguous. */
  private static List<ChunkRecord> fan() {
    int[] degrees = {0, 17, 33, 52, 78, 110};
    return IntStream.range(0, degrees.length)
        .mapToObj(i -> chunk("fan" + i, 1, 0, direction(degrees[i], 0.5f + i)))
        .toList();
  }

  private static List<ChunkRecord> document(String documentId, long version, int chunks) {
    return IntStream.range(0, chunks)
        .mapToObj(position -> chunk(documentId, version, position, direction(position * 9, 1.0f)))
        .toList();
  }

  private static ChunkRecord chunk(String documentId, long version, int position, float[] vector) {
    return ChunkRecord.builder()
        .chunkId(documentId + "#" + version + "#" + position)
        .documentId(documentId)
        .documentVersion(version)
        .position(position)
        .text("text of " + documentId + " at " + position)
        .source("docs/" + documentId + ".md")
        .sourceType("doc")
        .language("markdown")
        .embedding(vector)
        .build();
  }

  private static ChunkRecord chunk(
      String documentId,
      String source,
      String sourceType,
      String language,
      Map<String, String> metadata,
      int degrees) {
    return ChunkRecord.builder()
        .chunkId(documentId + "#1#0")
        .documentId(documentId)
        .documentVersion(1)
        .position(0)
        .text("text of " + documentId)
        .source(source)
        .sourceType(sourceType)
        .language(language)
        .metadata(metadata)
        .embedding(direction(degrees, 1.0f))
        .build();
  }

  /**
   * A vector at {@code degrees} from the first axis, turning towards a fixed mix of the others
   * (alternating signs), of the given length. Every component is used, like a real embedding, and
   * the angle between two such vectors is the difference of their degrees.
   */
  static float[] direction(double degrees, float length) {
    double radians = Math.toRadians(degrees);
    float[] vector = new float[DIMENSIONS];
    vector[0] = (float) (Math.cos(radians) * length);
    double spread = Math.sin(radians) * length / Math.sqrt(DIMENSIONS - 1);
    for (int i = 1; i < DIMENSIONS; i++) {
      vector[i] = (float) (i % 2 == 0 ? spread : -spread);
    }
    return vector;
  }

  private static float[] vectorOf(List<ChunkRecord> chunks, SearchHit hit) {
    return chunks.stream()
        .filter(c -> c.chunkId().equals(hit.chunk().chunkId()))
        .findFirst()
        .orElseThrow()
        .embedding();
  }

  private void write(String index, List<ChunkRecord> chunks) {
    writer().write(index, chunks.stream().<ChunkWrite>map(ChunkWrite.Upsert::new).toList());
  }

  private List<SearchHit> search(
      String index, float[] vector, int topK, double threshold, Filter filter) {
    return retriever().vectorSearch(index, new VectorQuery(vector, topK, threshold, filter));
  }

  private static List<String> ids(List<SearchHit> hits) {
    return hits.stream().map(hit -> hit.chunk().chunkId()).toList();
  }
}
