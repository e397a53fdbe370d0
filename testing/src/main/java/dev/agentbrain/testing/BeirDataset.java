package dev.agentbrain.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A retrieval benchmark in the BEIR layout, read in place: {@code corpus.jsonl} ({@code _id, title,
 * text}), {@code queries.jsonl} ({@code _id, text}) and {@code qrels/<split>.tsv} ({@code query-id,
 * corpus-id, score} after a header line).
 *
 * @param documents every document, in file order
 * @param queries the text of each query that has judgments in the split, in qrels order
 * @param judgments per query, the relevance grade (at least 1) of each judged document
 */
public record BeirDataset(
    List<Document> documents,
    Map<String, String> queries,
    Map<String, Map<String, Integer>> judgments) {

  /** One document of the corpus. */
  public record Document(String id, String title, String body) {
    /** Title and body, as BEIR's own baselines join them. */
    public String text() {
      return title.isBlank() ? body : title + " " + body;
    }

    /**
     * The document as a user would publish it: a Markdown file with the title as its heading and
     * the body under it.
     */
    public String markdown() {
      return title.isBlank() ? body : "# " + title + "\n\n" + body + "\n";
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The data set {@code name} where developers and CI keep benchmark data: {@code
   * shared/data/<name>} in the working directory or the nearest of its parents (a worktree finds
   * the same data as the main checkout). Read in place, never copied into the repository.
   *
   * @throws IllegalStateException when no parent holds it
   */
  public static Path locate(String name) {
    return SharedData.find(name)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no shared/data/%s in %s or above it: put the BEIR data set there (or pass --data DIR)"
                        .formatted(name, Path.of("").toAbsolutePath())));
  }

  /**
   * Reads the corpus, the queries and the judgments of one split.
   *
   * @param split {@code train} or {@code test} (a file {@code qrels/<split>.tsv})
   * @throws IllegalArgumentException when the directory holds no such split
   */
  public static BeirDataset read(Path directory, String split) {
    Path qrels = directory.resolve("qrels").resolve(split + ".tsv");
    if (!Files.isRegularFile(qrels)) {
      throw new IllegalArgumentException(
          "no judgments for split '%s' at %s; is %s a BEIR data set?"
              .formatted(split, qrels, directory));
    }
    try {
      Map<String, Map<String, Integer>> judgments = new LinkedHashMap<>();
      List<String> lines = Files.readAllLines(qrels, StandardCharsets.UTF_8);
      for (String line : lines.subList(1, lines.size())) { // after the header
        String[] fields = line.split("\t");
        int grade = Integer.parseInt(fields[2].strip());
        if (grade > 0) {
          judgments.computeIfAbsent(fields[0], q -> new LinkedHashMap<>()).put(fields[1], grade);
        }
      }
      Map<String, String> allQueries = new LinkedHashMap<>();
      for (JsonNode query : jsonLines(directory.resolve("queries.jsonl"))) {
        allQueries.put(query.get("_id").asText(), query.get("text").asText());
      }
      Map<String, String> queries = new LinkedHashMap<>();
      for (String id : judgments.keySet()) {
        String text = allQueries.get(id);
        if (text == null) {
          throw new IllegalArgumentException("query " + id + " of " + qrels + " has no text");
        }
        queries.put(id, text);
      }
      List<Document> documents = new ArrayList<>();
      for (JsonNode document : jsonLines(directory.resolve("corpus.jsonl"))) {
        documents.add(
            new Document(
                document.get("_id").asText(),
                document.path("title").asText(""),
                document.path("text").asText("")));
      }
      return new BeirDataset(List.copyOf(documents), queries, judgments);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the data set at " + directory, e);
    }
  }

  private static List<JsonNode> jsonLines(Path file) throws IOException {
    List<JsonNode> nodes = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.isBlank()) {
          nodes.add(JSON.readTree(line));
        }
      }
    }
    return nodes;
  }
}
