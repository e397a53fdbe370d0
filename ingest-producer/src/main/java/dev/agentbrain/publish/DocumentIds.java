package dev.agentbrain.publish;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Stable ids and hashes: the same index and source always give the same document id. */
public final class DocumentIds {

  private DocumentIds() {}

  /**
   * The id of a document: the first 32 hex digits of SHA-256 over the index name and the normalised
   * source, so that publishing the same file twice updates it instead of duplicating it.
   */
  public static String of(String index, String normalizedSource) {
    return sha256(index + "\n" + normalizedSource).substring(0, 32);
  }

  /** SHA-256 of the text's UTF-8 bytes, lower-case hex. */
  public static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
