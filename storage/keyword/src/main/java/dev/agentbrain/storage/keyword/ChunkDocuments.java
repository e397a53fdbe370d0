package dev.agentbrain.storage.keyword;

import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.Filter.Field;
import java.util.HashMap;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexOptions;
import org.apache.lucene.index.IndexableField;

/**
 * How a chunk is kept as a Lucene document. Exact-match fields ({@code chunk_id}, {@code
 * document_id}, {@code document_version}, {@code source}, {@code source_type}, {@code language},
 * and each metadata key as {@value #METADATA_PREFIX}{@code key}) are indexed whole, for filters and
 * deletes; {@code text} is analysed with term frequencies only (no positions, no norms: BM25
 * lengths come from {@value #LENGTH}, the exact number of analysed terms).
 */
final class ChunkDocuments {

  static final String CHUNK_ID = "chunk_id";
  static final String DOCUMENT_ID = "document_id";
  static final String DOCUMENT_VERSION = "document_version";
  static final String TEXT = "text";
  static final String SOURCE = "source";
  static final String LENGTH = "length";
  static final String METADATA_PREFIX = "m.";

  private static final FieldType TEXT_TYPE = textType();

  private ChunkDocuments() {}

  static Document of(ChunkRecord chunk, int length) {
    Document document = new Document();
    document.add(
        new StringField(CHUNK_ID, chunk.chunkId(), org.apache.lucene.document.Field.Store.YES));
    document.add(exact(DOCUMENT_ID, chunk.documentId()));
    document.add(exact(DOCUMENT_VERSION, Long.toString(chunk.documentVersion())));
    document.add(new StoredField("position", chunk.position()));
    document.add(new org.apache.lucene.document.Field(TEXT, chunk.text(), TEXT_TYPE));
    document.add(exact(SOURCE, chunk.source()));
    document.add(exact("source_type", chunk.sourceType()));
    document.add(exact("language", chunk.language()));
    document.add(new StoredField("heading_path", chunk.headingPath()));
    document.add(new StoredField("content_hash", chunk.contentHash()));
    chunk.metadata().forEach((key, value) -> document.add(exact(METADATA_PREFIX + key, value)));
    document.add(new NumericDocValuesField(LENGTH, length));
    return document;
  }

  /** The chunk a stored document holds, without its vector (the keyword index has none). */
  static ChunkRecord chunk(Document document) {
    Map<String, String> metadata = new HashMap<>();
    for (IndexableField field : document.getFields()) {
      if (field.name().startsWith(METADATA_PREFIX)) {
        metadata.put(field.name().substring(METADATA_PREFIX.length()), field.stringValue());
      }
    }
    return ChunkRecord.builder()
        .chunkId(document.get(CHUNK_ID))
        .documentId(document.get(DOCUMENT_ID))
        .documentVersion(Long.parseLong(document.get(DOCUMENT_VERSION)))
        .position(document.getField("position").numericValue().intValue())
        .text(document.get(TEXT))
        .source(document.get(SOURCE))
        .sourceType(document.get("source_type"))
        .language(document.get("language"))
        .headingPath(document.get("heading_path"))
        .contentHash(document.get("content_hash"))
        .metadata(metadata)
        .embedding(new float[0])
        .build();
  }

  /** The Lucene field that a filter field compares. */
  static String field(Field field) {
    return switch (field) {
      case Field.DocumentId id -> DOCUMENT_ID;
      case Field.Source source -> SOURCE;
      case Field.SourceType type -> "source_type";
      case Field.Language language -> "language";
      case Field.Metadata(String key) -> METADATA_PREFIX + key;
    };
  }

  private static StringField exact(String name, String value) {
    return new StringField(name, value, org.apache.lucene.document.Field.Store.YES);
  }

  private static FieldType textType() {
    FieldType type = new FieldType();
    type.setTokenized(true);
    type.setStored(true);
    type.setOmitNorms(true);
    type.setIndexOptions(IndexOptions.DOCS_AND_FREQS);
    type.freeze();
    return type;
  }
}
