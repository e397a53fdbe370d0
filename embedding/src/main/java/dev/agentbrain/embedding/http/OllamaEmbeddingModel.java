package dev.agentbrain.embedding.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * A model served by Ollama: {@code POST {base}/api/embed} with {@code {"model", "input": [...]}},
 * answered with {@code embeddings}, one per input in order. Requests set {@code "truncate": false},
 * so a text longer than the model's context is refused instead of silently cut; configured
 * dimensions are sent as {@code dimensions}.
 */
public final class OllamaEmbeddingModel extends RemoteEmbeddingModel {

  OllamaEmbeddingModel(HttpEmbeddingConfig config) {
    super(config, URI.create(config.baseUrl().toString().replaceAll("/+$", "") + "/api/embed"));
  }

  @Override
  void addOptions(ObjectNode body) {
    body.put("truncate", false);
  }

  @Override
  List<JsonNode> vectorsOf(JsonNode answer, int texts) throws UnexpectedAnswer {
    JsonNode embeddings = answer.path("embeddings");
    if (!embeddings.isArray()) {
      throw new UnexpectedAnswer("answered without an \"embeddings\" array");
    }
    List<JsonNode> vectors = new ArrayList<>(embeddings.size());
    embeddings.forEach(vectors::add);
    return vectors;
  }
}
