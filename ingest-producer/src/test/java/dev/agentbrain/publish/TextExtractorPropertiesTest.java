package dev.agentbrain.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/**
 * Whatever bytes a file holds, extraction answers with text, a skip or a rejection with a reason,
 * never an exception, and text it answers obeys the limits: the fuzz run of {@link TextExtractor}.
 */
class TextExtractorPropertiesTest {

  private static final FileType HTML = FileType.of("page.html").orElseThrow();
  private static final FileType PDF = FileType.of("doc.pdf").orElseThrow();
  private static final byte[] PDF_HEADER = "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HTML_HEADER =
      "<!doctype html><html><body><div><p>".getBytes(StandardCharsets.US_ASCII);

  @Property(tries = 300)
  void anyBytesOfAnyTypeAreTextASkipOrARejection(@ForAll @Size(max = 2000) byte[] bytes) {
    for (FileType type : new FileType[] {FileType.PLAIN_TEXT, HTML, PDF}) {
      assertAnswered(bytes, type);
    }
  }

  @Property(tries = 300)
  void bytesThatLookLikeAPdfOrHtmlAreAnsweredToo(@ForAll @Size(max = 2000) byte[] bytes) {
    assertAnswered(concat(PDF_HEADER, bytes), PDF);
    assertAnswered(concat(HTML_HEADER, bytes), HTML);
  }

  private static void assertAnswered(byte[] bytes, FileType type) {
    Extraction extraction = TextExtractor.extract(bytes, type);
    switch (extraction) {
      case Extraction.Text text -> {
        assertThat(text.text()).isNotBlank();
        assertThat(text.text().getBytes(StandardCharsets.UTF_8).length)
            .isLessThanOrEqualTo(DocumentLimits.MAX_CONTENT_BYTES);
      }
      case Extraction.Skipped skipped -> assertThat(skipped.reason()).isNotBlank();
      case Extraction.Rejected rejected -> assertThat(rejected.reason()).isNotBlank();
    }
  }

  private static byte[] concat(byte[] head, byte[] tail) {
    byte[] all = new byte[head.length + tail.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(tail, 0, all, head.length, tail.length);
    return all;
  }
}
