package dev.agentbrain.query.shadow;

import dev.agentbrain.config.Backend;
import dev.agentbrain.query.QueryResponse;
import dev.agentbrain.query.QueryResult;
import dev.agentbrain.query.SearchObserver;
import dev.agentbrain.query.SearchRequest;
import dev.agentbrain.query.SearchService;
import java.util.Locale;

/**
 * Hands every search the primary answered to the {@link ShadowMirror}, which replays a sample on
 * the shadow through the same {@link SearchService} (same embedding, fusion and threshold, so the
 * rankings differ only by backend), outside its admission control: a replay never takes a caller's
 * slot. A search that named its backend is not mirrored.
 */
public final class ShadowQueries implements SearchObserver {

  private final ShadowMirror mirror;
  private final SearchService search;

  public ShadowQueries(ShadowMirror mirror, SearchService search) {
    this.mirror = mirror;
    this.search = search;
  }

  @Override
  public void searched(SearchRequest request, QueryResponse response) {
    if (request.backend().isPresent()) {
      return; // asked of a backend by name: not live traffic of the primary
    }
    mirror.mirror(
        request.text(),
        request.index(),
        response.mode(),
        Backend.valueOf(response.backend().toUpperCase(Locale.ROOT)),
        ranking(response),
        shadow -> ranking(search.replay(request.on(shadow))));
  }

  static Ranking ranking(QueryResponse response) {
    return new Ranking(
        response.results().stream().map(QueryResult::chunkId).toList(),
        response.results().stream().map(QueryResult::score).toList(),
        response.queryTimeMs());
  }
}
