package dev.agentbrain.publish;

import java.util.Comparator;
import java.util.List;

/**
 * A folder of an index, as the documents topic holds it.
 *
 * @param index logical index
 * @param name the folder's name within the index (the source prefix users see); empty for a folder
 *     published before folders had names, whose documents keep their old ids until it is published
 *     again
 * @param path the absolute folder it was last published from
 * @param documents how many documents of it the topic holds
 */
public record PublishedFolder(String index, String name, String path, int documents) {

  /** What tells folders apart: the name, or for an unnamed folder its path. */
  record Key(String index, String name, String unnamedPath) {}

  static PublishedFolder of(List<PublishedDocument> documents) {
    PublishedDocument latest =
        documents.stream().max(Comparator.comparingLong(PublishedDocument::version)).orElseThrow();
    return new PublishedFolder(latest.index(), latest.folder(), latest.scope(), documents.size());
  }

  /** Whether {@code folder} (a name, or an absolute path) names this folder. */
  public boolean isNamed(String folder) {
    return name.isEmpty() ? path.equals(folder) : name.equals(folder) || path.equals(folder);
  }
}
