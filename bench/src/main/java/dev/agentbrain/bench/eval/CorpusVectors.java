package dev.agentbrain.bench.eval;

import dev.agentbrain.embedding.EmbeddingModel;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Passage (or query) vectors of a data set, embedded once and kept in a file, so that a second
 * evaluation run skips the embedding. The file names the model and a SHA-256 of the embedded texts;
 * a file made from other texts or with another model is not used.
 */
public final class CorpusVectors {

  private static final int BATCH = 256;

  private CorpusVectors() {}

  /** The vectors of {@code texts}, in order: from {@code cache} when it matches, else embedded. */
  static List<float[]> of(List<String> texts, EmbeddingModel model, Path cache) {
    return of(texts, model.info().model(), model::embedPassages, "passages", cache);
  }

  /**
   * As {@link #of(List, EmbeddingModel, Path)}, taking the vector of a text that {@code known} has
   * (embedded by the same model) instead of embedding it again.
   */
  static List<float[]> of(
      List<String> texts, EmbeddingModel model, Path cache, Map<String, float[]> known) {
    return of(
        texts,
        model.info().model(),
        batch -> {
          List<String> missing = batch.stream().filter(t -> !known.containsKey(t)).toList();
          List<float[]> fresh = missing.isEmpty() ? List.of() : model.embedPassages(missing);
          Map<String, float[]> embedded = new HashMap<>();
          for (int i = 0; i < missing.size(); i++) {
            embedded.put(missing.get(i), fresh.get(i));
          }
          return batch.stream().map(t -> known.getOrDefault(t, embedded.get(t))).toList();
        },
        "passages",
        cache);
  }

  /** As {@link #of}, for query texts, embedded as queries (with the model's query prefix). */
  static List<float[]> queries(List<String> texts, EmbeddingModel model, Path cache) {
    return of(
        texts,
        model.info().model() + " queries",
        batch -> batch.stream().map(model::embedQuery).toList(),
        "queries",
        cache);
  }

  private static List<float[]> of(
      List<String> texts,
      String fingerprinted,
      Function<List<String>, List<float[]>> embed,
      String kind,
      Path cache) {
    String fingerprint = fingerprint(fingerprinted, texts);
    Optional<List<float[]>> cached = read(cache, fingerprint, texts.size());
    if (cached.isPresent()) {
      System.out.printf("%s vectors from %s%n", kind, cache);
      return cached.get();
    }
    List<float[]> vectors = new ArrayList<>(texts.size());
    long started = System.nanoTime();
    for (int from = 0; from < texts.size(); from += BATCH) {
      vectors.addAll(embed.apply(texts.subList(from, Math.min(texts.size(), from + BATCH))));
      double seconds = (System.nanoTime() - started) / 1e9;
      System.out.printf(
          "embedded %d/%d %s (%.0f/s)%n",
          vectors.size(), texts.size(), kind, vectors.size() / seconds);
    }
    write(cache, fingerprint, vectors);
    return vectors;
  }

  /**
   * The passage vectors of {@code texts} from {@code cache}, which must hold exactly those (same
   * texts, same model); never embeds. For benchmarks that reuse the chunk vectors {@code make eval}
   * caches.
   *
   * @throws IllegalStateException when the cache is missing or was made from other texts
   */
  public static List<float[]> cached(List<String> texts, EmbeddingModel model, Path cache) {
    return read(cache, fingerprint(model.info().model(), texts), texts.size())
        .orElseThrow(
            () ->
                new IllegalStateException(
                    ("%s does not hold the %s vectors of these %,d chunks: run `make eval` first"
                            + " (it chunks the corpus as the indexer does, embeds the chunks once"
                            + " and caches their vectors there)")
                        .formatted(cache, model.info().model(), texts.size())));
  }

  private static List<float[]> vectors(DataInputStream in, int count) throws IOException {
    int dimensions = in.readInt();
    List<float[]> vectors = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      float[] vector = new float[dimensions];
      for (int d = 0; d < dimensions; d++) {
        vector[d] = in.readFloat();
      }
      vectors.add(vector);
    }
    return vectors;
  }

  private static Optional<List<float[]>> read(Path cache, String fingerprint, int count) {
    if (!Files.isRegularFile(cache)) {
      return Optional.empty();
    }
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(cache)))) {
      if (!in.readUTF().equals(fingerprint) || in.readInt() != count) {
        return Optional.empty();
      }
      return Optional.of(vectors(in, count));
    } catch (IOException e) {
      System.out.printf("ignoring unreadable vector cache %s (%s)%n", cache, e.getMessage());
      return Optional.empty();
    }
  }

  private static void write(Path cache, String fingerprint, List<float[]> vectors) {
    try {
      Files.createDirectories(cache.getParent());
      Path partial = cache.resolveSibling(cache.getFileName() + ".partial");
      try (DataOutputStream out =
          new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(partial)))) {
        out.writeUTF(fingerprint);
        out.writeInt(vectors.size());
        out.writeInt(vectors.getFirst().length);
        for (float[] vector : vectors) {
          for (float value : vector) {
            out.writeFloat(value);
          }
        }
      }
      Files.move(partial, cache, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the vector cache " + cache, e);
    }
  }

  private static String fingerprint(String model, List<String> texts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(model.getBytes(StandardCharsets.UTF_8));
      for (String text : texts) {
        digest.update((byte) 0);
        digest.update(text.getBytes(StandardCharsets.UTF_8));
      }
      return model + " " + HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
