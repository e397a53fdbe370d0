package dev.agentbrain.storage.chroma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.PathGlob;
import dev.agentbrain.storage.SearchHit;
import dev.agentbrain.storage.Similarity;
import dev.agentbrain.storage.VectorQuery;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class GlobSearchTest {

  private static final Filter DOCS = new Filter.SourceGlob(new PathGlob("docs/**/*.md"));

  /** A record of chunk {@code id} from {@code source}, with {@code vector}. */
  private static ChromaClient.Record record(String id, String source, float... vector) {
    return new ChromaClient.Record(
        id + "@1",
        vector,
        "text of " + id,
        Map.of(
            ChunkMetadata.CHUNK_ID,
            id,
            ChunkMetadata.DOCUMENT_ID,
            source,
            ChunkMetadata.DOCUMENT_VERSION,
            1L,
            "source",
            source));
  }

  /** The best hits of these records, each one read by its id. */
  private static List<SearchHit> best(VectorQuery query, ChromaClient.Record... records) {
    Map<String, ChromaClient.Record> stored = new HashMap<>();
    for (ChromaClient.Record record : records) {
      stored.put(record.id(), record);
    }
    return GlobSearch.best(
        query, List.copyOf(stored.keySet()), ids -> ids.stream().map(stored::get).toList());
  }

  private static List<String> chunkIds(List<SearchHit> hits) {
    return hits.stream().map(hit -> hit.chunk().chunkId()).toList();
  }

  @Test
  @DisplayName("the first ask is ten times topK, capped at what can be reached")
  void firstAsk() {
    assertThat(GlobSearch.firstAsk(5, 1_000)).isEqualTo(50);
    assertThat(GlobSearch.firstAsk(5, 30)).isEqualTo(30);
    assertThat(GlobSearch.firstAsk(5, 0)).isZero();
    assertThat(GlobSearch.firstAsk(Integer.MAX_VALUE, 30_000)).isEqualTo(30_000);
  }

  @Test
  @DisplayName("every page is checked, until a short one, and only the glob's records are kept")
  void keptReadsEveryPage() {
    List<ChromaClient.Record> all =
        List.of(
            record("a", "docs/a.md"),
            record("b", "src/b.java"),
            record("c", "docs/deep/c.md"),
            record("d", "docs/d.txt"),
            record("e", "docs/e.md"));
    List<Integer> offsets = new ArrayList<>();

    List<String> kept =
        GlobSearch.kept(
            DOCS,
            2,
            offset -> {
              offsets.add(offset);
              return all.subList(offset, Math.min(all.size(), offset + 2));
            });

    assertThat(kept).containsExactly("a@1", "c@1", "e@1");
    assertThat(offsets).containsExactly(0, 2, 4);
  }

  @Test
  @DisplayName("a last page that is full is followed by one more, empty read")
  void keptStopsOnAnEmptyPage() {
    List<ChromaClient.Record> all = List.of(record("a", "docs/a.md"), record("b", "docs/b.md"));

    List<String> kept =
        GlobSearch.kept(DOCS, 2, offset -> offset == 0 ? all : List.<ChromaClient.Record>of());

    assertThat(kept).containsExactly("a@1", "b@1");
  }

  @Test
  @DisplayName("kept records are scored by cosine here: best first, the top k, vectors left out")
  void bestScoresByCosine() {
    List<SearchHit> hits =
        best(
            new VectorQuery(new float[] {1, 0}, 2, 0.0, DOCS),
            record("a", "docs/a.md", 1, 0),
            record("b", "docs/b.md", 0, 1),
            record("c", "docs/c.md", 1, 1));

    assertThat(chunkIds(hits)).containsExactly("a", "c");
    assertThat(hits.get(0).score()).isCloseTo(1.0, within(1e-9));
    assertThat(hits.get(1).score()).isCloseTo(Math.sqrt(0.5), within(1e-9));
    assertThat(hits.get(0).chunk().embedding()).isEmpty();
    assertThat(hits.get(0).chunk().source()).isEqualTo("docs/a.md");
  }

  @Test
  @DisplayName("hits under the threshold are left out, and equal scores go by chunk id")
  void thresholdAndTies() {
    List<SearchHit> hits =
        best(
            new VectorQuery(new float[] {1, 0}, 5, 0.5, DOCS),
            record("z", "docs/z.md", 2, 0),
            record("y", "docs/y.md", 1, 0),
            record("x", "docs/x.md", -1, 0));

    assertThat(chunkIds(hits)).containsExactly("y", "z");
  }

  @Test
  @DisplayName("vectors are fetched 500 ids a request, and records the reader hides drop out")
  void bestFetchesInBatches() {
    List<String> ids = IntStream.range(0, 1_201).mapToObj(i -> "c" + i + "@1").toList();
    List<Integer> asked = new ArrayList<>();

    List<SearchHit> hits =
        GlobSearch.best(
            new VectorQuery(new float[] {1, 0}, 3, 0.0, DOCS),
            ids,
            batch -> {
              asked.add(batch.size());
              return batch.stream()
                  .filter(id -> !id.equals("c0@1"))
                  .map(id -> record(id.substring(0, id.indexOf('@')), "docs/x.md", 1, 0))
                  .toList();
            });

    assertThat(asked).containsExactly(500, 500, 201);
    assertThat(chunkIds(hits)).containsExactly("c1", "c10", "c100");
  }

  @Test
  @DisplayName("cosine is 1 for the same direction, 0 across, -1 opposite, 0 for a zero vector")
  void cosine() {
    assertThat(Similarity.cosine(new float[] {1, 2}, new float[] {2, 4}))
        .isCloseTo(1, within(1e-9));
    assertThat(Similarity.cosine(new float[] {1, 0}, new float[] {0, 3})).isZero();
    assertThat(Similarity.cosine(new float[] {1, 1}, new float[] {-1, -1}))
        .isCloseTo(-1, within(1e-9));
    assertThat(Similarity.cosine(new float[] {0, 0}, new float[] {1, 1})).isZero();
  }
}
