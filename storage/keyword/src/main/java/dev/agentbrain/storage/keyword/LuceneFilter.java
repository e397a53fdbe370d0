package dev.agentbrain.storage.keyword;

import dev.agentbrain.storage.Filter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.util.BytesRef;

/**
 * A {@link Filter} as a Lucene query over the exact-match fields of {@link ChunkDocuments}. Values
 * are terms, never query syntax, so no value can change the query's structure. A path glob is
 * resolved against the index's own list of sources (every distinct {@code source} term), with the
 * glob's Java pattern: exact, and as cheap as the number of distinct sources.
 */
final class LuceneFilter {

  private LuceneFilter() {}

  static Query of(Filter filter, IndexReader reader) throws IOException {
    return switch (filter) {
      case Filter.All all -> new MatchAllDocsQuery();
      case Filter.In in ->
          new TermInSetQuery(
              ChunkDocuments.field(in.field()), in.values().stream().map(BytesRef::new).toList());
      case Filter.SourceGlob glob -> sources(glob, reader);
      case Filter.And and -> {
        BooleanQuery.Builder all = new BooleanQuery.Builder();
        for (Filter part : and.filters()) {
          all.add(of(part, reader), Occur.FILTER);
        }
        yield all.build();
      }
      case Filter.Or or -> {
        BooleanQuery.Builder any = new BooleanQuery.Builder().setMinimumNumberShouldMatch(1);
        for (Filter part : or.filters()) {
          any.add(of(part, reader), Occur.SHOULD);
        }
        yield any.build();
      }
    };
  }

  private static Query sources(Filter.SourceGlob glob, IndexReader reader) throws IOException {
    List<BytesRef> matching = new ArrayList<>();
    Terms terms = MultiTerms.getTerms(reader, ChunkDocuments.SOURCE);
    if (terms != null) {
      TermsEnum sources = terms.iterator();
      for (BytesRef source = sources.next(); source != null; source = sources.next()) {
        if (glob.glob().matches(source.utf8ToString())) {
          matching.add(BytesRef.deepCopyOf(source));
        }
      }
    }
    return matching.isEmpty()
        ? new MatchNoDocsQuery("no source matches " + glob.glob().pattern())
        : new TermInSetQuery(ChunkDocuments.SOURCE, matching);
  }
}
