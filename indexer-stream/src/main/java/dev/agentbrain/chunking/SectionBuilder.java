package dev.agentbrain.chunking;

import java.util.ArrayList;
import java.util.List;

/** Collects consecutive sections while a structure parser walks a document. */
final class SectionBuilder {

  private final Section.Style style;
  private final List<Section> sections = new ArrayList<>();
  private int start;
  private List<String> path = List.of();

  SectionBuilder(Section.Style style) {
    this.style = style;
  }

  /** Where the open section starts; a new one cannot start before it. */
  int currentStart() {
    return start;
  }

  /**
   * Closes the open section at {@code offset} and opens one with {@code newPath}. At the open
   * section's own start, that section is empty and only takes the new path.
   */
  void startAt(int offset, List<String> newPath) {
    if (offset > start) {
      sections.add(new Section(start, offset, path, style));
      start = offset;
    }
    path = List.copyOf(newPath);
  }

  /** All sections, the last one closed at {@code end}. */
  List<Section> finish(int end) {
    sections.add(new Section(start, end, path, style));
    return sections;
  }
}
