package dev.agentbrain.bench.embedding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentbrain.embedding.EmbeddingModel;
import dev.agentbrain.embedding.EmbeddingModels;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures how many passages per second each embedding model embeds with a given number of threads,
 * on real abstracts from a BEIR corpus file (read in place, e.g. SciFact's corpus.jsonl), cut at a
 * word boundary to about the same number of tokens each.
 *
 * <pre>
 * java -cp ... dev.agentbrain.bench.embedding.EmbeddingBenchmark --corpus ../shared/data/scifact/corpus.jsonl \
 *     [--models bge-small-en-v1.5-q,all-minilm-l6-v2-q] [--threads 1,2] [--texts 400] [--tokens 200] [--batch 64]
 * </pre>
 *
 * A model whose limit is below {@code --tokens} gets passages of its limit.
 */
public final class EmbeddingBenchmark {

  private static final String USAGE =
      "usage: EmbeddingBenchmark --corpus FILE.jsonl [--models a,b] [--threads 1,2] [--texts N]"
          + " [--tokens N] [--batch N]";

  private EmbeddingBenchmark() {}

  public static void main(String[] args) throws IOException {
    Map<String, String> options = parse(args);
    Path corpus = Path.of(required(options, "corpus"));
    List<String> models =
        List.of(
            options
                .getOrDefault("models", String.join(",", EmbeddingModels.knownModels()))
                .split(","));
    int cores = Runtime.getRuntime().availableProcessors();
    List<Integer> threadCounts =
        Arrays.stream(options.getOrDefault("threads", "1," + cores).split(","))
            .map(Integer::parseInt)
            .toList();
    int texts = Integer.parseInt(options.getOrDefault("texts", "400"));
    int targetTokens = Integer.parseInt(options.getOrDefault("tokens", "200"));
    int batch = Integer.parseInt(options.getOrDefault("batch", "64"));

    System.out.printf(
        "corpus %s, %d texts per run, batches of %d, %d cores, java %s%n",
        corpus, texts, batch, cores, Runtime.version());
    System.out.printf(
        "%-22s %7s %10s %10s %9s %9s%n",
        "model", "threads", "tokens/txt", "texts/s", "RSS MB", "peak MB");
    for (String name : models) {
      for (int threads : threadCounts) {
        try (EmbeddingModel model = EmbeddingModels.create(name, threads)) {
          int tokens = Math.min(targetTokens, model.info().maxTokens());
          List<String> passages = passages(corpus, model, texts, tokens);
          // warm-up: first calls pay for allocator and kernel initialisation
          model.embedPassages(passages.subList(0, Math.min(batch, passages.size())));
          long started = System.nanoTime();
          for (int from = 0; from < passages.size(); from += batch) {
            model.embedPassages(passages.subList(from, Math.min(from + batch, passages.size())));
          }
          double seconds = (System.nanoTime() - started) / 1e9;
          double meanTokens = passages.stream().mapToInt(model::countTokens).average().orElse(0);
          System.out.printf(
              "%-22s %7d %10.0f %10.1f %9d %9d%n",
              name,
              threads,
              meanTokens,
              passages.size() / seconds,
              memoryMegabytes("VmRSS"),
              memoryMegabytes("VmHWM"));
        }
      }
    }
  }

  /** The first {@code count} abstracts with at least {@code tokens} tokens, cut to at most that. */
  private static List<String> passages(Path corpus, EmbeddingModel model, int count, int tokens)
      throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<String> passages = new ArrayList<>(count);
    try (BufferedReader lines = Files.newBufferedReader(corpus, StandardCharsets.UTF_8)) {
      for (String line = lines.readLine();
          line != null && passages.size() < count;
          line = lines.readLine()) {
        JsonNode document = json.readTree(line);
        String text = document.path("text").asText("");
        if (model.countTokens(text) >= tokens) {
          passages.add(cutToTokens(text, model, tokens));
        }
      }
    }
    if (passages.size() < count) {
      throw new IllegalArgumentException(
          "%s has only %d texts of %d tokens or more; ask for fewer with --texts"
              .formatted(corpus, passages.size(), tokens));
    }
    return passages;
  }

  /**
   * The longest run of whole words from the start of {@code text} that has at most {@code max}
   * tokens.
   */
  private static String cutToTokens(String text, EmbeddingModel model, int max) {
    String[] words = text.split("\\s+");
    int low = 1;
    int high = words.length;
    while (low < high) {
      int middle = (low + high + 1) / 2;
      if (model.countTokens(String.join(" ", Arrays.copyOf(words, middle))) <= max) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return String.join(" ", Arrays.copyOf(words, low));
  }

  /** A memory figure of this process from /proc/self/status, in MB; -1 where there is no /proc. */
  private static long memoryMegabytes(String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(field + ":")) {
          return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException(USAGE);
      }
      options.put(args[i].substring(2), args[i + 1]);
    }
    return options;
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null) {
      throw new IllegalArgumentException("--" + name + " is missing; " + USAGE);
    }
    return value;
  }
}
