package dev.agentbrain.publish;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Record headers that the publisher puts on every record of the documents topic (UTF-8 strings), so
 * that a reader can tell what the topic holds without deserializing any content: the manifest of
 * published documents is rebuilt from them.
 *
 * <ul>
 *   <li>{@value #INDEX}: the logical index
 *   <li>{@value #SOURCE}: the normalised source (path relative to the published folder, or the id
 *       given for stdin)
 *   <li>{@value #SCOPE}: the folder the source was published from (absolute path)
 *   <li>{@value #FOLDER}: the folder's name within the index (absent for a document of no folder),
 *       which limits what {@code --sync} deletes
 *   <li>{@value #CONTENT_HASH}: SHA-256 of the content; absent on tombstones
 *   <li>{@value #VERSION}: the event's document version (decimal); absent on tombstones
 * </ul>
 */
public final class DocumentHeaders {

  public static final String INDEX = "agentbrain.index";
  public static final String SOURCE = "agentbrain.source";
  public static final String SCOPE = "agentbrain.scope";
  public static final String FOLDER = "agentbrain.folder";
  public static final String CONTENT_HASH = "agentbrain.content-hash";
  public static final String VERSION = "agentbrain.version";

  /** What a record says about its document; hash and version are absent on tombstones. */
  record Values(
      String index,
      String source,
      String scope,
      String folder,
      Optional<String> contentHash,
      Optional<Long> version) {}

  private DocumentHeaders() {}

  static Headers of(Values values) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(INDEX, utf8(values.index()));
    headers.add(SOURCE, utf8(values.source()));
    headers.add(SCOPE, utf8(values.scope()));
    if (!values.folder().isEmpty()) {
      headers.add(FOLDER, utf8(values.folder()));
    }
    values.contentHash().ifPresent(hash -> headers.add(CONTENT_HASH, utf8(hash)));
    values.version().ifPresent(version -> headers.add(VERSION, utf8(Long.toString(version))));
    return headers;
  }

  /** The last value of a header, or empty when the record does not carry it. */
  static Optional<String> value(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null || header.value() == null
        ? Optional.empty()
        : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
  }

  private static byte[] utf8(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
