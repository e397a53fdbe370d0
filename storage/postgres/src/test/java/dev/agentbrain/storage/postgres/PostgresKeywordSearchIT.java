package dev.agentbrain.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.agentbrain.storage.Bm25;
import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.ChunkWrite;
import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.Filter.Field;
import dev.agentbrain.storage.IndexSpec;
import dev.agentbrain.storage.KeywordQuery;
import dev.agentbrain.storage.PathGlob;
import dev.agentbrain.storage.SearchHit;
import dev.agentbrain.storage.Similarity;
import dev.agentbrain.testing.LocalServices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

class PostgresKeywordSearchIT {

  private static final String RUN =
      Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 24), 36);

  /** Texts chosen so that terms have different document frequencies, lengths and repeats. */
  private static final Map<String, String> CORPUS =
      Map.of(
          "a", "Vector search finds chunks by meaning; keyword search finds them by words.",
          "b", "PostgreSQL ranks keyword search with BM25 computed from term statistics.",
          "c", "Chroma stores vectors. Chroma answers vector queries quickly, vector after vector.",
          "d",
              "A long chunk about cooking: onions, garlic, butter, salt, pepper, thyme, rosemary,"
                  + " and a slow braise of beef in red wine for many hours until it falls apart.",
          "e", "Statistics of terms: document frequency, chunk length and collection size.",
          "f", "Keyword keyword keyword: a chunk that repeats one word.");

  private static LocalServices.Postgres server;
  private static PostgresStore store;
  private String index;

  @BeforeAll
  static void connect() {
    server = LocalServices.requirePostgres();
    store =
        new PostgresStore(PostgresConfig.of(server.jdbcUrl(), server.user(), server.password()));
  }

  @AfterAll
  static void disconnect() {
    if (store != null) {
      store.close();
    }
  }

  @BeforeEach
  void createIndex(TestInfo test) {
    index = "kw_" + RUN + "_" + Integer.toHexString(test.getDisplayName().hashCode());
    store.dropIndex(index);
    store.ensureIndex(new IndexSpec(index, 3, "test-model", "english"));
  }

  @AfterEach
  void dropIndex() {
    store.dropIndex(index);
  }

  @Test
  @DisplayName("ranking and scores equal BM25 computed in Java from the same analysed text")
  void rankingEqualsJavaBm25() throws SQLException {
    write(corpusChunks());

    for (String query :
        List.of(
            "keyword search",
            "vector chroma",
            "how are terms counted for BM25 statistics?",
            "keyword keyword cooking")) {
      List<SearchHit> hits = search(query, 10, Filter.ALL);

      Map<String, Double> expected = javaBm25(query);
      assertThat(ids(hits))
          .as(query)
          .containsExactlyElementsOf(
              expected.entrySet().stream()
                  .sorted(
                      Map.Entry.<String, Double>comparingByValue()
                          .reversed()
                          .thenComparing(Map.Entry.comparingByKey()))
                  .map(Map.Entry::getKey)
                  .toList());
      for (SearchHit hit : hits) {
        assertThat(hit.score())
            .as(query + " " + hit.chunk().chunkId())
            .isCloseTo(expected.get(hit.chunk().chunkId()), within(1e-9));
      }
    }
  }

  @Test
  @DisplayName("term statistics equal a recount after updates, deletes and rewrites")
  void statisticsDoNotDrift() throws SQLException {
    write(corpusChunks());
    write(List.of(chunk("b", 2, "PostgreSQL keyword search, rewritten with new words.", "doc")));
    write(List.of(chunk("c", 2, "Chroma again.", "doc"), chunk("c2", 1, "Chroma too.", "doc")));
    store.write(index, List.of(new ChunkWrite.DeleteDocument("d", 2)));
    write(corpusChunks().subList(0, 2)); // a, and b back at version 1
    write(
        List.of(
            chunk("e", 1, CORPUS.get("e"), "doc"))); // same text: an update that changes nothing
    store.write(
        index,
        List.of(
            new ChunkWrite.DeleteDocument("f", 2), new ChunkWrite.DeleteDocument("missing", 2)));

    assertThat(storedTerms()).isEqualTo(recountedTerms());
    assertThat(storedSize()).isEqualTo(recountedSize());
    assertThat(storedSize()).containsExactly(5L, recountedSize()[1]);
    assertThat(storedPostings()).isEqualTo(recountedPostings()).isNotEmpty();
    assertThat(blockEntries()).isEqualTo(postingsWithNumbers()).isNotEmpty();
  }

  @Test
  @DisplayName("the keyword query reads candidates through a bitmap scan of the GIN index")
  void keywordQueryUsesGinIndex() throws SQLException {
    write(corpusChunks());
    ChunkTable table = new ChunkTable(new IndexSpec(index, 3, "test-model", "english"));

    String plan =
        plan(
            KeywordSearch.keywordSql(table, "source_type = ANY(?)"),
            (connection, explain) -> {
              explain.setString(1, "keyword search");
              explain.setDouble(2, 1.2);
              explain.setDouble(3, 0.75);
              explain.setArray(4, connection.createArrayOf("text", new String[] {"doc"}));
              explain.setInt(5, 10);
            });

    assertThat(plan).contains("Bitmap Index Scan on " + table.name() + "_tsv");
    assertThat(plan).doesNotContain("Seq Scan on " + table.name());
  }

  @Test
  @DisplayName(
      "the pruned ranking equals scoring every matching chunk, on real text, through writes")
  void prunedRankingEqualsExhaustiveRanking() throws IOException, SQLException {
    List<String> paragraphs = realParagraphs();
    List<ChunkRecord> chunks = paragraphChunks(paragraphs);
    write(chunks);
    List<String> queries = sentenceQueries(paragraphs);
    assertThat(chunks).hasSizeGreaterThan(400);

    assertRankingsExhaustive(queries);
    // deletes, updates and new chunks change every statistic the bounds come from
    List<ChunkWrite> changes = new ArrayList<>();
    for (int i = 0; i < chunks.size(); i += 4) {
      changes.add(new ChunkWrite.DeleteDocument("p" + i, 2));
    }
    for (int i = 1; i < chunks.size(); i += 7) {
      changes.add(
          new ChunkWrite.Upsert(
              chunk("p" + i, 2, paragraphs.get((i * 13) % paragraphs.size()), "doc")));
    }
    store.write(index, changes);
    assertRankingsExhaustive(queries);
  }

  @Test
  @DisplayName(
      "keywordSearchExhaustive scores every matching chunk, and the pruned ranking equals it")
  void exhaustiveEntryScoresEveryMatch() throws IOException, SQLException {
    List<String> paragraphs = realParagraphs();
    write(paragraphChunks(paragraphs));

    try (Connection connection = connection()) {
      for (String query : sentenceQueries(paragraphs)) {
        List<SearchHit> exhaustive =
            store.keywordSearchExhaustive(index, new KeywordQuery(query, 10, Filter.ALL));
        Map<String, Double> expected = exhaustive(connection, query, 10, Filter.ALL);
        assertThat(ids(exhaustive)).as(query).containsExactlyElementsOf(expected.keySet());
        for (SearchHit hit : exhaustive) {
          assertThat(hit.score()).isCloseTo(expected.get(hit.chunk().chunkId()), within(1e-12));
        }
        assertThat(ids(search(query, 10, Filter.ALL))).as(query).isEqualTo(ids(exhaustive));
      }
    }
  }

  /** One chunk per paragraph, {@code p<i>}, every third of source type code, the others doc. */
  private static List<ChunkRecord> paragraphChunks(List<String> paragraphs) {
    List<ChunkRecord> chunks = new ArrayList<>();
    for (int i = 0; i < paragraphs.size(); i++) {
      chunks.add(chunk("p" + i, 1, paragraphs.get(i), i % 3 == 0 ? "code" : "doc"));
    }
    return chunks;
  }

  /** Queries made of real sentences: long ones, where pruning matters most, and short ones. */
  private static List<String> sentenceQueries(List<String> paragraphs) {
    List<String> queries = new ArrayList<>();
    for (int i = 0; i < paragraphs.size(); i += Math.max(1, paragraphs.size() / 6)) {
      String[] words = paragraphs.get(i).split("\\s+");
      queries.add(String.join(" ", List.of(words).subList(0, Math.min(words.length, 14))));
      queries.add(String.join(" ", List.of(words).subList(0, Math.min(words.length, 3))));
    }
    return queries;
  }

  private void assertRankingsExhaustive(List<String> queries) throws SQLException {
    try (Connection connection = connection()) {
      assertRankingsExhaustive(connection, queries);
    }
  }

  private void assertRankingsExhaustive(Connection connection, List<String> queries)
      throws SQLException {
    for (String query : queries) {
      for (int topK : new int[] {10, 100}) {
        for (Filter filter : List.of(Filter.ALL, Filter.eq(new Field.SourceType(), "doc"))) {
          List<SearchHit> pruned = search(query, topK, filter);
          Map<String, Double> exhaustive = exhaustive(connection, query, topK, filter);
          assertThat(ids(pruned))
              .as(query + " top " + topK)
              .containsExactlyElementsOf(exhaustive.keySet());
          for (SearchHit hit : pruned) {
            assertThat(hit.score()).isCloseTo(exhaustive.get(hit.chunk().chunkId()), within(1e-12));
          }
        }
      }
    }
  }

  /**
   * Every chunk that holds a query term scored, the best {@code topK} in order, as before pruning.
   */
  private Map<String, Double> exhaustive(
      Connection connection, String query, int topK, Filter filter) throws SQLException {
    ChunkTable table = new ChunkTable(new IndexSpec(index, 3, "test-model", "english"));
    SqlFilter condition = SqlFilter.of(filter);
    Map<String, Double> ranking = new LinkedHashMap<>();
    try (PreparedStatement select =
        connection.prepareStatement(KeywordSearch.keywordSql(table, condition.sql()))) {
      select.setString(1, query);
      select.setDouble(2, Bm25.STANDARD.k1());
      select.setDouble(3, Bm25.STANDARD.b());
      int next = condition.bind(connection, select, 4);
      select.setInt(next, topK);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          ranking.put(
              rows.getString("chunk_id"),
              Similarity.fromBm25(
                  rows.getDouble("bm25"), Bm25.STANDARD.bound(rows.getDouble("query_weight"))));
        }
      }
    }
    return ranking;
  }

  /** Sentences of this repository's own Markdown: real prose with real term statistics. */
  private static List<String> realParagraphs() throws IOException {
    List<String> paragraphs = new ArrayList<>();
    Path repository = Path.of("../..").toAbsolutePath().normalize();
    try (Stream<Path> files = Files.walk(repository)) {
      for (Path file :
          files
              .filter(f -> f.toString().endsWith(".md"))
              .filter(f -> !("/" + repository.relativize(f)).matches(".*/(target|\\.[^/]*)/.*"))
              .sorted()
              .toList()) {
        // sentences, so that chunks are many and of different lengths
        for (String sentence : Files.readString(file).split("(?<=[.;:])\\s+|\\n\\s*\\n")) {
          if (sentence.strip().length() >= 40) {
            paragraphs.add(sentence.strip());
          }
        }
      }
    }
    return paragraphs;
  }

  @Test
  @DisplayName(
      "posting lists are read from the density index alone, blocks and chunks by their keys")
  void postingReadsUseTheirIndexes() throws SQLException {
    write(corpusChunks());
    ChunkTable table = new ChunkTable(new IndexSpec(index, 3, "test-model", "english"));

    String read =
        plan(
            SqlPostings.readSql(table),
            (connection, explain) -> {
              explain.setArray(
                  1, connection.createArrayOf("text", new String[] {"keyword", "search"}));
              explain.setArray(
                  2,
                  connection.createArrayOf("float8", new Double[] {Double.POSITIVE_INFINITY, 0.5}));
              explain.setArray(3, connection.createArrayOf("text", new String[] {"", "b"}));
              explain.setArray(4, connection.createArrayOf("integer", new Integer[] {10, 10}));
            });
    String lookUp =
        plan(
            SqlPostings.lookUpSql(table),
            (connection, explain) -> {
              explain.setArray(1, connection.createArrayOf("text", new String[] {"a", "b"}));
              explain.setArray(2, connection.createArrayOf("text", new String[] {"keyword"}));
            });

    assertThat(read)
        .contains("Index Only Scan Backward using " + table.postingsName() + "_density")
        .doesNotContain("Seq Scan");
    assertThat(lookUp).contains(table.postingsName() + "_pkey").doesNotContain("Seq Scan");

    String blocks =
        plan(
            BlockSearch.readSql(table),
            (connection, explain) ->
                explain.setArray(
                    1, connection.createArrayOf("text", new String[] {"keyword", "search"})));
    String numbers =
        plan(
            KeywordSearch.byNumberSql(table),
            (connection, explain) ->
                explain.setArray(1, connection.createArrayOf("integer", new Integer[] {1, 2})));
    assertThat(blocks).contains(table.blocksName() + "_pkey").doesNotContain("Seq Scan");
    assertThat(numbers).contains(table.name() + "_no").doesNotContain("Seq Scan");
  }

  @Test
  @DisplayName("the vector query walks the HNSW index, with and without a filter")
  void vectorQueryUsesHnswIndex() throws SQLException {
    write(corpusChunks());
    ChunkTable table = new ChunkTable(new IndexSpec(index, 3, "test-model", "english"));
    SqlFilter filter =
        SqlFilter.of(
            new Filter.And(
                List.of(
                    Filter.eq(new Filter.Field.SourceType(), "doc"),
                    new Filter.SourceGlob(new PathGlob("*.md")))));

    String unfiltered =
        plan(
            ChunkReader.searchSql(table.name(), "TRUE"),
            (connection, explain) -> {
              explain.setObject(1, table.parameter(new float[] {1, 0, 0}));
              explain.setInt(2, 10);
            });
    String filtered =
        plan(
            ChunkReader.searchSql(table.name(), filter.sql()),
            (connection, explain) -> {
              explain.setObject(1, table.parameter(new float[] {1, 0, 0}));
              int next = filter.bind(connection, explain, 2);
              explain.setInt(next, 10);
            });

    for (String plan : List.of(unfiltered, filtered)) {
      assertThat(plan).contains("Index Scan using " + table.name() + "_hnsw");
      assertThat(plan).doesNotContain("Seq Scan on " + table.name()).doesNotContain("Sort");
    }
  }

  private interface Binder {
    void bind(Connection connection, PreparedStatement explain) throws SQLException;
  }

  /**
   * The plan of {@code sql} with sequential scans priced out (the test tables are too small for a
   * planner to prefer an index otherwise), as search transactions run it: iterative HNSW scans on.
   */
  private static String plan(String sql, Binder binder) throws SQLException {
    try (Connection connection = connection();
        Statement settings = connection.createStatement()) {
      settings.execute("SET enable_seqscan = off");
      settings.execute("SET hnsw.iterative_scan = relaxed_order");
      try (PreparedStatement explain = connection.prepareStatement("EXPLAIN " + sql)) {
        binder.bind(connection, explain);
        StringBuilder lines = new StringBuilder();
        try (ResultSet rows = explain.executeQuery()) {
          while (rows.next()) {
            lines.append(rows.getString(1)).append('\n');
          }
        }
        return lines.toString();
      }
    }
  }

  @Test
  @DisplayName("filters narrow a keyword search, and scores do not depend on the filter")
  void filtersCombineWithKeywordSearch() {
    write(corpusChunks());
    Filter codeOrCooking =
        new Filter.Or(
            List.of(
                Filter.eq(new Field.SourceType(), "code"),
                Filter.eq(new Field.Metadata("topic"), "cooking")));

    List<SearchHit> all = search("keyword chunk", 10, Filter.ALL);
    List<SearchHit> filtered = search("keyword chunk", 10, codeOrCooking);

    assertThat(ids(filtered)).containsExactly("f", "d");
    for (SearchHit hit : filtered) {
      assertThat(hit.score())
          .as("the score without the filter but for rounding (Java sums one, SQL the other)")
          .isCloseTo(
              all.stream()
                  .filter(h -> h.chunk().chunkId().equals(hit.chunk().chunkId()))
                  .findFirst()
                  .orElseThrow()
                  .score(),
              within(1e-12));
    }
    assertThat(search("keyword", 10, Filter.eq(new Field.DocumentId(), "d"))).isEmpty();
  }

  @Test
  @DisplayName("query text with SQL, tsquery syntax or NUL is only words: it harms nothing")
  void injectionAttemptsInQueryTextAreWords() {
    write(corpusChunks());
    List<String> attacks =
        List.of(
            "x'); DROP TABLE agentbrain_indexes; --",
            "' OR 1=1 --",
            "chroma' | 'cooking",
            "!chroma & (vector | :*",
            "chroma\\' <-> \\\\ ''",
            "chroma\u0000cooking",
            "$1 $$ ; SELECT pg_sleep(10)");

    for (String attack : attacks) {
      List<SearchHit> hits = search(attack, 10, Filter.ALL);
      assertThat(hits).as(attack).allSatisfy(hit -> assertThat(hit.score()).isBetween(0.0, 1.0));
    }
    assertThat(ids(search("chroma' | 'cooking", 10, Filter.ALL)))
        .containsExactlyInAnyOrder("c", "d");
    assertThat(ids(search("x'); DROP TABLE agentbrain_indexes; --", 10, Filter.ALL))).isEmpty();
    assertThat(store.count(index, Filter.ALL)).isEqualTo(CORPUS.size());
  }

  @Test
  @DisplayName("a query of stop words and punctuation only finds nothing")
  void stopWordsFindNothing() {
    write(corpusChunks());

    assertThat(search("the and of a ... !!", 10, Filter.ALL)).isEmpty();
    assertThat(search("", 10, Filter.ALL)).isEmpty();
  }

  @Test
  @DisplayName("an index made before keyword search gets its statistics counted on ensureIndex")
  void olderIndexGetsStatistics() throws SQLException {
    write(corpusChunks());
    ChunkTable table = new ChunkTable(new IndexSpec(index, 3, "test-model", "english"));
    try (Connection connection = connection();
        Statement statement = connection.createStatement()) {
      statement.execute(
          """
          DROP TABLE %2$s, %3$s, %4$s, %5$s;
          ALTER TABLE %1$s DROP COLUMN text_length, DROP COLUMN chunk_no;
          DROP TRIGGER keyword_statistics_insert ON %1$s;
          DROP TRIGGER keyword_statistics_update ON %1$s;
          DROP TRIGGER keyword_statistics_delete ON %1$s;
          DROP TRIGGER keyword_statistics_truncate ON %1$s;
          DROP TRIGGER keyword_terms_insert ON %1$s; DROP TRIGGER keyword_terms_update ON %1$s;
          DROP TRIGGER keyword_terms_delete ON %1$s; DROP TRIGGER keyword_terms_truncate ON %1$s;
          """
              .formatted(
                  table.name(),
                  table.termsName(),
                  table.statsName(),
                  table.postingsName(),
                  table.blocksName()));
    }

    store.ensureIndex(new IndexSpec(index, 3, "test-model", "english"));

    assertThat(storedPostings()).isEqualTo(recountedPostings()).isNotEmpty();
    assertThat(blockEntries()).isEqualTo(postingsWithNumbers()).isNotEmpty();
    assertThat(storedTerms()).isEqualTo(recountedTerms()).isNotEmpty();
    assertThat(storedSize()).isEqualTo(recountedSize());
    assertThat(ids(search("chroma", 10, Filter.ALL))).containsExactly("c");
  }

  @Test
  @DisplayName(
      "an index made with row postings only gets numbered chunks and posting blocks on ensureIndex,"
          + " kept by the new triggers alone")
  void indexOfRowPostingsGetsBlocks() throws SQLException {
    write(corpusChunks());
    ChunkTable table = new ChunkTable(new IndexSpec(index, 3, "test-model", "english"));
    try (Connection connection = connection();
        Statement statement = connection.createStatement()) {
      // the tables and triggers of migration 3
      statement.execute(
          """
          DROP TABLE %3$s;
          DROP TRIGGER keyword_terms_insert ON %1$s; DROP TRIGGER keyword_terms_update ON %1$s;
          DROP TRIGGER keyword_terms_delete ON %1$s; DROP TRIGGER keyword_terms_truncate ON %1$s;
          ALTER TABLE %1$s DROP COLUMN chunk_no; ALTER TABLE %2$s DROP COLUMN block_no;
          CREATE TRIGGER keyword_postings_insert AFTER INSERT ON %1$s
            REFERENCING NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION agentbrain_keyword_postings('%2$s');
          CREATE TRIGGER keyword_postings_delete AFTER DELETE ON %1$s
            REFERENCING OLD TABLE AS old_rows
            FOR EACH STATEMENT EXECUTE FUNCTION agentbrain_keyword_postings('%2$s');
          """
              .formatted(table.name(), table.postingsName(), table.blocksName()));
    }

    store.ensureIndex(new IndexSpec(index, 3, "test-model", "english"));
    write(List.of(chunk("c", 2, "Chroma again, and a keyword.", "doc")));
    store.write(index, List.of(new ChunkWrite.DeleteDocument("d", 2)));

    assertThat(storedPostings()).isEqualTo(recountedPostings()).isNotEmpty();
    assertThat(blockEntries()).isEqualTo(postingsWithNumbers()).isNotEmpty();
    assertThat(ids(search("chroma", 10, Filter.ALL))).containsExactly("c");
  }

  @Test
  @DisplayName(
      "posting blocks hold at most 128 entries and stay equal to the postings through many small"
          + " writes, rewrites and deletes")
  void blocksFollowManySmallWrites() throws SQLException {
    Random random = new Random(7);
    List<String> words = List.of("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta");
    for (int round = 0; round < 120; round++) {
      if (random.nextInt(5) == 0) {
        String id = "doc" + random.nextInt(300);
        store.write(index, List.of(new ChunkWrite.DeleteDocument(id, round + 1)));
        continue;
      }
      Map<String, ChunkRecord> written = new LinkedHashMap<>();
      for (int doc = 0; doc < 4; doc++) {
        StringBuilder text = new StringBuilder();
        for (int word = 0; word < 3 + random.nextInt(8); word++) {
          text.append(words.get(random.nextInt(words.size()))).append(' ');
        }
        String id = "doc" + random.nextInt(300);
        written.put(id, chunk(id, round + 1, text.toString(), "doc"));
      }
      write(List.copyOf(written.values()));
    }

    assertThat(blockEntries()).isEqualTo(postingsWithNumbers()).isNotEmpty();
    assertThat(storedPostings()).isEqualTo(recountedPostings());
    Map<String, Long> shape =
        terms(
            """
            SELECT 'largest', max(length(data) / %1$d) FROM %2$s
            UNION ALL SELECT 'empty', count(*) FROM %2$s WHERE data = ''::bytea
            UNION ALL SELECT 'blocks of alpha', count(*) FROM %2$s WHERE term = 'alpha'
            """
                .formatted(BlockSearch.ENTRY_BYTES, ChunkTable.blocksNameOf(index)));
    assertThat(shape.get("largest")).isLessThanOrEqualTo(128L);
    assertThat(shape.get("empty")).isZero();
    assertThat(shape.get("blocks of alpha")).isGreaterThan(1L);
    for (String query : List.of("alpha", "beta gamma", "zeta eta delta alpha")) {
      assertThat(ids(search(query, 5, Filter.ALL)))
          .as(query)
          .containsExactlyElementsOf(
              ids(store.keywordSearchExhaustive(index, new KeywordQuery(query, 5, Filter.ALL))));
    }
  }

  // ---- the reference ---------------------------------------------------------------------------

  /** BM25 of every chunk that holds a query term, from PostgreSQL's analysis and Java's formula. */
  private Map<String, Double> javaBm25(String query) throws SQLException {
    Map<String, Map<String, Integer>> chunks = new LinkedHashMap<>();
    for (Map.Entry<String, String> entry : CORPUS.entrySet()) {
      chunks.put(entry.getKey(), analyse(entry.getValue()));
    }
    Map<String, Integer> queryTerms = analyse(query);
    Map<String, Integer> df = new HashMap<>();
    long totalLength = 0;
    for (Map<String, Integer> terms : chunks.values()) {
      terms.keySet().forEach(term -> df.merge(term, 1, Integer::sum));
      totalLength += terms.values().stream().mapToInt(Integer::intValue).sum();
    }
    double averageLength = (double) totalLength / chunks.size();
    Bm25 bm25 = Bm25.STANDARD;
    double queryWeight = 0;
    Map<String, Double> weights = new HashMap<>();
    for (Map.Entry<String, Integer> term : queryTerms.entrySet()) {
      if (df.containsKey(term.getKey())) {
        double weight = term.getValue() * Bm25.idf(chunks.size(), df.get(term.getKey()));
        weights.put(term.getKey(), weight);
        queryWeight += weight;
      }
    }
    Map<String, Double> scores = new HashMap<>();
    for (Map.Entry<String, Map<String, Integer>> chunk : chunks.entrySet()) {
      int length = chunk.getValue().values().stream().mapToInt(Integer::intValue).sum();
      double score = 0;
      boolean matched = false;
      for (Map.Entry<String, Double> weight : weights.entrySet()) {
        Integer tf = chunk.getValue().get(weight.getKey());
        if (tf != null) {
          matched = true;
          score += weight.getValue() * bm25.termWeight(tf, length, averageLength);
        }
      }
      if (matched) {
        scores.put(chunk.getKey(), Similarity.fromBm25(score, bm25.bound(queryWeight)));
      }
    }
    return scores;
  }

  /** Each lexeme of the text, as the index's configuration makes them, with its count. */
  private static Map<String, Integer> analyse(String text) throws SQLException {
    Map<String, Integer> terms = new HashMap<>();
    try (Connection connection = connection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT lexeme, cardinality(positions)"
                    + " FROM unnest(to_tsvector('english'::regconfig, ?))")) {
      select.setString(1, text);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          terms.put(rows.getString(1), rows.getInt(2));
        }
      }
    }
    return terms;
  }

  // ---- fixtures --------------------------------------------------------------------------------

  private Map<String, Long> storedTerms() throws SQLException {
    return terms("SELECT term, df FROM " + ChunkTable.termsNameOf(index));
  }

  private Map<String, Long> recountedTerms() throws SQLException {
    return terms(
        "SELECT lexeme, count(*) FROM %s, unnest(tsvector_to_array(to_tsvector('english', text)))"
                .formatted(ChunkTable.nameOf(index))
            + " AS lexeme GROUP BY lexeme");
  }

  /** Each posting as "chunk term length" with its frequency. */
  private Map<String, Long> storedPostings() throws SQLException {
    return terms(
        "SELECT chunk_id || ' ' || term || ' ' || text_length, tf FROM "
            + ChunkTable.postingsNameOf(index));
  }

  /** Each entry of every posting block as "term chunk-number block length" with its frequency. */
  private Map<String, Long> blockEntries() throws SQLException {
    return terms(
        """
        SELECT b.term || ' ' || e.chunk_no || ' ' || b.block_no || ' ' || e.text_length, e.tf
        FROM %s AS b, agentbrain_block_entries(b.data) AS e
        """
            .formatted(ChunkTable.blocksNameOf(index)));
  }

  /** Each row posting as {@link #blockEntries} would hold it, by the number of its chunk. */
  private Map<String, Long> postingsWithNumbers() throws SQLException {
    return terms(
        """
        SELECT p.term || ' ' || c.chunk_no || ' ' || p.block_no || ' ' || p.text_length, p.tf
        FROM %s AS p JOIN %s AS c USING (chunk_id)
        """
            .formatted(ChunkTable.postingsNameOf(index), ChunkTable.nameOf(index)));
  }

  private Map<String, Long> recountedPostings() throws SQLException {
    return terms(
        """
        SELECT c.chunk_id || ' ' || t.lexeme || ' '
               || agentbrain_term_count(to_tsvector('english', c.text)), cardinality(t.positions)
        FROM %s AS c, unnest(to_tsvector('english', c.text)) AS t
        """
            .formatted(ChunkTable.nameOf(index)));
  }

  private long[] storedSize() throws SQLException {
    return size("SELECT chunks, total_length FROM " + ChunkTable.statsNameOf(index));
  }

  private long[] recountedSize() throws SQLException {
    return size(
        "SELECT count(*), coalesce(sum(agentbrain_term_count(to_tsvector('english', text))), 0)"
            + " FROM "
            + ChunkTable.nameOf(index));
  }

  private static Map<String, Long> terms(String sql) throws SQLException {
    Map<String, Long> terms = new HashMap<>();
    try (Connection connection = connection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        terms.put(rows.getString(1), rows.getLong(2));
      }
    }
    return terms;
  }

  private static long[] size(String sql) throws SQLException {
    try (Connection connection = connection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return new long[] {rows.getLong(1), rows.getLong(2)};
    }
  }

  private static Connection connection() throws SQLException {
    return DriverManager.getConnection(server.jdbcUrl(), server.user(), server.password());
  }

  private static List<ChunkRecord> corpusChunks() {
    List<ChunkRecord> chunks = new ArrayList<>();
    CORPUS.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            entry -> {
              String id = entry.getKey();
              ChunkRecord plain = chunk(id, 1, entry.getValue(), id.equals("f") ? "code" : "doc");
              chunks.add(
                  id.equals("d")
                      ? plain.toBuilder().metadata(Map.of("topic", "cooking")).build()
                      : plain);
            });
    return chunks;
  }

  /** A chunk that is a whole document, so its id is its document id. */
  private static ChunkRecord chunk(String id, long version, String text, String sourceType) {
    return ChunkRecord.builder()
        .chunkId(id)
        .documentId(id)
        .documentVersion(version)
        .position(0)
        .text(text)
        .source(id + ".md")
        .sourceType(sourceType)
        .embedding(new float[] {1, 0.5f, 0.25f})
        .build();
  }

  private void write(List<ChunkRecord> chunks) {
    store.write(index, chunks.stream().<ChunkWrite>map(ChunkWrite.Upsert::new).toList());
  }

  private List<SearchHit> search(String text, int topK, Filter filter) {
    return store.keywordSearch(index, new KeywordQuery(text, topK, filter));
  }

  private static List<String> ids(List<SearchHit> hits) {
    return hits.stream().map(hit -> hit.chunk().chunkId()).toList();
  }
}
