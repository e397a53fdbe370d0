package dev.agentbrain.embedding.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.Arrays;
import java.util.List;

/**
 * A model behind OpenAI's embeddings API or a server that speaks it: {@code POST
 * {base}/v1/embeddings} with {@code {"model", "input": [...]}} and a bearer key, answered with
 * {@code data[]}, whose {@code embedding}s are put in input order by their {@code index}. A base
 * URL that already ends in {@code /v1} (as OpenAI's SDKs write it) is accepted too.
 *
 * <p>Configured dimensions are sent as {@code dimensions}, which text-embedding-3 models shorten
 * their vectors to; servers and models that cannot (text-embedding-ada-002) refuse such a request,
 * so leave the dimensions unset for them.
 */
public final class OpenAiCompatibleEmbeddingModel extends RemoteEmbeddingModel {

  OpenAiCompatibleEmbeddingModel(HttpEmbeddingConfig config) {
    super(config, endpoint(config.baseUrl()));
  }

  private static URI endpoint(URI base) {
    String server = base.toString().replaceAll("/+$", "");
    return URI.create(server.endsWith("/v1") ? server + "/embeddings" : server + "/v1/embeddings");
  }

  @Override
  void addOptions(ObjectNode body) {
    // the default, but some compatible servers differ, and base64 would not parse as numbers
    body.put("encoding_format", "float");
  }

  @Override
  List<JsonNode> vectorsOf(JsonNode answer, int texts) throws UnexpectedAnswer {
    JsonNode data = answer.path("data");
    if (!data.isArray()) {
      throw new UnexpectedAnswer("answered without a \"data\" array");
    }
    if (data.size() != texts) {
      throw new UnexpectedAnswer(
          "answered with %d vectors for %d texts".formatted(data.size(), texts));
    }
    JsonNode[] ordered = new JsonNode[texts];
    for (JsonNode item : data) {
      JsonNode index = item.path("index");
      int position = index.canConvertToInt() ? index.asInt() : -1;
      if (position < 0 || position >= texts || ordered[position] != null) {
        throw new UnexpectedAnswer(
            "answered with a missing, repeated or out-of-range index: " + index);
      }
      ordered[position] = item.path("embedding");
    }
    return Arrays.asList(ordered);
  }
}
