package dev.agentbrain.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TextExtractorTest {

  private static final FileType MARKDOWN = FileType.of("a.md").orElseThrow();
  private static final FileType HTML = FileType.of("a.html").orElseThrow();
  private static final FileType PDF = FileType.of("a.pdf").orElseThrow();

  @Test
  @DisplayName("invalid UTF-8 is repaired with U+FFFD and reported as a warning")
  void invalidUtf8IsRepaired() {
    byte[] raw = {'c', 'a', 'f', (byte) 0xE9, ' ', 'o', 'k'};

    Extraction.Text text = (Extraction.Text) TextExtractor.extract(raw, MARKDOWN);

    assertThat(text.text()).isEqualTo("caf\uFFFD ok");
    assertThat(text.warnings()).singleElement().asString().contains("1 malformed byte sequence");
    assertThat(text.metadata()).containsEntry("encoding.repaired", "true");
  }

  @Test
  @DisplayName("valid UTF-8 passes unchanged, without a byte-order mark and without warnings")
  void validUtf8PassesUnchanged() {
    byte[] raw = "\uFEFFgrüße".getBytes(StandardCharsets.UTF_8);

    Extraction.Text text = (Extraction.Text) TextExtractor.extract(raw, MARKDOWN);

    assertThat(text.text()).isEqualTo("grüße");
    assertThat(text.warnings()).isEmpty();
  }

  @Test
  @DisplayName("a file with NUL bytes is skipped as binary, an empty file as empty")
  void binaryAndEmptyFilesAreSkipped() {
    assertThat(TextExtractor.extract(new byte[] {'P', 'K', 3, 4, 0, 0}, MARKDOWN))
        .isEqualTo(new Extraction.Skipped("binary file"));
    assertThat(TextExtractor.extract(new byte[0], MARKDOWN))
        .isEqualTo(new Extraction.Skipped("empty file"));
  }

  @Test
  @DisplayName("text over the size limit is rejected with a message that says what to do")
  void oversizedTextIsRejected() {
    byte[] raw = "x".repeat(DocumentLimits.MAX_CONTENT_BYTES + 1).getBytes(StandardCharsets.UTF_8);

    Extraction result = TextExtractor.extract(raw, MARKDOWN);

    assertThat(result).isInstanceOf(Extraction.Rejected.class);
    assertThat(((Extraction.Rejected) result).reason())
        .contains("4.0 MiB limit of one document")
        .contains("split it");
  }

  @Test
  @DisplayName("HTML becomes Markdown-style text: headings, paragraphs, list items, no scripts")
  void htmlBecomesMarkdownText() {
    String html =
        """
        <html><head><title>Install guide</title><style>p{color:red}</style></head>
        <body><h1>Install</h1><p>Run   the <b>installer</b>.</p>
        <script>alert('x')</script><ul><li>one</li><li>two</li></ul>
        <h2>Configure</h2><pre>key = value
          indented</pre></body></html>
        """;

    Extraction.Text text =
        (Extraction.Text) TextExtractor.extract(html.getBytes(StandardCharsets.UTF_8), HTML);

    assertThat(text.text())
        .isEqualTo(
            "# Install\n\nRun the installer.\n\n- one\n- two\n\n## Configure\n\n"
                + "key = value\n  indented\n");
    assertThat(text.metadata()).containsEntry("title", "Install guide");
  }

  @Test
  @DisplayName("HTML declared in another charset is decoded in that charset")
  void htmlCharsetIsHonoured() {
    String html = "<html><head><meta charset=\"ISO-8859-1\"></head><body><p>café</p></body></html>";

    Extraction.Text text =
        (Extraction.Text) TextExtractor.extract(html.getBytes(StandardCharsets.ISO_8859_1), HTML);

    assertThat(text.text()).isEqualTo("café\n");
    assertThat(text.warnings()).isEmpty();
  }

  @Test
  @DisplayName("the text of a PDF is extracted with its page count and title")
  void pdfTextIsExtracted() throws Exception {
    byte[] pdf = pdf("Vectors live in pgvector.");

    Extraction.Text text = (Extraction.Text) TextExtractor.extract(pdf, PDF);

    assertThat(text.text()).isEqualTo("Vectors live in pgvector.\n");
    assertThat(text.metadata()).containsEntry("pages", "1").containsEntry("title", "A test");
  }

  @Test
  @DisplayName("a PDF without text and a file that is no PDF are rejected, with the reason")
  void unreadablePdfsAreRejected() throws Exception {
    assertThat(TextExtractor.extract(pdf(""), PDF))
        .isInstanceOfSatisfying(
            Extraction.Rejected.class, r -> assertThat(r.reason()).contains("run OCR"));
    assertThat(TextExtractor.extract("not a pdf".getBytes(StandardCharsets.UTF_8), PDF))
        .isInstanceOfSatisfying(
            Extraction.Rejected.class,
            r -> assertThat(r.reason()).startsWith("not a readable PDF"));
  }

  @Test
  @DisplayName("a PDF over the page limit, and one whose text takes too long, are rejected")
  void pdfLimits() throws Exception {
    byte[] manyPages;
    try (PDDocument document = new PDDocument()) {
      for (int p = 0; p <= DocumentLimits.MAX_PDF_PAGES; p++) {
        document.addPage(new PDPage());
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      document.save(out);
      manyPages = out.toByteArray();
    }

    assertThat(TextExtractor.extract(manyPages, PDF))
        .isInstanceOfSatisfying(
            Extraction.Rejected.class,
            r -> assertThat(r.reason()).contains("has 2001 pages, over the limit of 2000"));
    assertThat(TextExtractor.pdf(pdf("Vectors live in pgvector."), Duration.ZERO))
        .isInstanceOfSatisfying(
            Extraction.Rejected.class,
            r -> assertThat(r.reason()).contains("took over 0 s, the limit of one file"));
  }

  private static byte[] pdf(String line) throws Exception {
    try (PDDocument document = new PDDocument()) {
      PDPage page = new PDPage();
      document.addPage(page);
      document.getDocumentInformation().setTitle("A test");
      if (!line.isEmpty()) {
        try (PDPageContentStream content = new PDPageContentStream(document, page)) {
          content.beginText();
          content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
          content.newLineAtOffset(72, 700);
          content.showText(line);
          content.endText();
        }
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      document.save(out);
      return out.toByteArray();
    }
  }
}
