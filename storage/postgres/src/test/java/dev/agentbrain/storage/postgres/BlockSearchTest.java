package dev.agentbrain.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentbrain.storage.Bm25;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link BlockSearch.Scores} against BM25 summed per chunk in maps, on random blocks. */
class BlockSearchTest {

  private static final Bm25 BM25 = Bm25.STANDARD;
  private static final double AVERAGE_LENGTH = 80;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6})
  @DisplayName("the candidates are the exact top k and whatever ties with its last, nothing below")
  void candidatesAreTheTopKWithTies(long seed) {
    Random random = new Random(seed);
    BlockSearch.Scores scores = new BlockSearch.Scores(BM25, AVERAGE_LENGTH);
    Map<Integer, Double> expected = new HashMap<>();
    // chunk numbers past the first array's length, few lengths and frequencies: many exact ties
    for (int term = 0; term < 5; term++) {
      double weight = 0.5 + random.nextDouble() * 3;
      List<int[]> entries = new ArrayList<>();
      for (int i = 0; i < 3_000; i++) {
        int chunk = random.nextInt(20_000);
        if (entries.stream().anyMatch(e -> e[0] == chunk)) {
          continue;
        }
        int tf = 1 + random.nextInt(2);
        int length = 60 + 20 * random.nextInt(3);
        entries.add(new int[] {chunk, tf, length});
        expected.merge(chunk, weight * BM25.termWeight(tf, length, AVERAGE_LENGTH), Double::sum);
      }
      for (int from = 0; from < entries.size(); from += 128) {
        scores.add(block(entries.subList(from, Math.min(entries.size(), from + 128))), weight);
      }
    }
    for (int topK : new int[] {1, 10, 100, 1_000}) {
      double kth =
          expected.values().stream()
              .sorted((a, b) -> Double.compare(b, a))
              .skip(topK - 1)
              .findFirst()
              .orElseThrow();
      Set<Integer> reaching =
          expected.entrySet().stream()
              .filter(e -> e.getValue() >= kth * (1 - 1e-12))
              .map(Map.Entry::getKey)
              .collect(Collectors.toCollection(TreeSet::new));
      Set<Integer> found =
          Arrays.stream(scores.candidates(topK))
              .boxed()
              .collect(Collectors.toCollection(TreeSet::new));
      assertThat(found).as("top %d", topK).isEqualTo(reaching);
      assertThat(reaching.size()).as("top %d", topK).isGreaterThanOrEqualTo(topK);
    }
  }

  @Test
  @DisplayName("fewer matches than k are all candidates, and no match gives none")
  void fewMatches() {
    BlockSearch.Scores scores = new BlockSearch.Scores(BM25, AVERAGE_LENGTH);
    assertThat(scores.candidates(10)).isEmpty();
    scores.add(block(List.of(new int[] {7, 1, 80}, new int[] {70_000, 3, 40})), 1.5);
    scores.add(block(List.of(new int[] {70_000, 1, 40})), 0.5);
    assertThat(scores.candidates(10)).containsExactlyInAnyOrder(7, 70_000);
    assertThat(scores.candidates(1)).containsExactly(70_000);
  }

  private static byte[] block(List<int[]> entries) {
    ByteBuffer block = ByteBuffer.allocate(entries.size() * BlockSearch.ENTRY_BYTES);
    for (int[] entry : entries) {
      block.putInt(entry[0]).putInt(entry[1]).putInt(entry[2]);
    }
    return block.array();
  }
}
