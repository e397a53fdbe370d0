package dev.agentbrain.publish;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeVisitor;

/**
 * Turns a file's bytes into the text that is published.
 *
 * <ul>
 *   <li>Text files are UTF-8. Invalid UTF-8 is repaired, not rejected: each malformed sequence
 *       becomes U+FFFD and the file is published with a warning that says how many were replaced,
 *       so one stray byte in a long document does not keep the rest out of the index. A leading
 *       byte-order mark is dropped. A NUL byte in the first 8 KiB marks a binary file (skipped).
 *   <li>HTML is parsed by jsoup (which honours the document's declared charset) and rendered to
 *       Markdown-style text: headings become {@code #} lines, blocks become paragraphs, list items
 *       become {@code -} lines; scripts, styles and templates are dropped; the title goes to the
 *       metadata.
 *   <li>PDF text is extracted by Apache PDFBox in reading order; title and page count go to the
 *       metadata. Password-protected PDFs, PDFs without any text, PDFs of more than {@link
 *       DocumentLimits#MAX_PDF_PAGES} pages and PDFs whose text takes longer than {@link
 *       DocumentLimits#MAX_PDF_TIME} to extract are rejected.
 *   <li>A file a parser fails on in any other way is rejected: one file's failure, never the
 *       publish's.
 * </ul>
 *
 * <p>Text longer than {@link DocumentLimits#MAX_CONTENT_BYTES} in UTF-8 is rejected. Stateless and
 * thread-safe.
 */
public final class TextExtractor {

  private static final int BINARY_PROBE_BYTES = 8192;
  private static final Pattern BLANK_LINES = Pattern.compile("\n[ \t]*(\n[ \t]*)+\n");
  private static final Pattern TRAILING_SPACE = Pattern.compile("[ \t]+\n");
  private static final Set<String> DROPPED_ELEMENTS =
      Set.of("script", "style", "noscript", "template", "svg", "head");
  private static final Set<String> BLOCK_ELEMENTS =
      Set.of(
          "p",
          "div",
          "section",
          "article",
          "main",
          "header",
          "footer",
          "aside",
          "nav",
          "ul",
          "ol",
          "dl",
          "dt",
          "dd",
          "table",
          "tr",
          "blockquote",
          "pre",
          "figure",
          "figcaption",
          "form",
          "hr",
          "address");

  private TextExtractor() {}

  /** Extracts the text of a file of the given type. */
  public static Extraction extract(byte[] raw, FileType type) {
    if (raw.length == 0) {
      return new Extraction.Skipped("empty file");
    }
    Extraction extraction;
    try {
      extraction =
          switch (type.format()) {
            case TEXT -> text(raw);
            case HTML -> html(raw);
            case PDF -> pdf(raw, DocumentLimits.MAX_PDF_TIME);
          };
    } catch (RuntimeException | StackOverflowError e) {
      // a parser's defect on a malformed file is that file's failure, not the publish's
      return new Extraction.Rejected(
          "its text could not be extracted: the file looks damaged — open and save it again, or"
              + " leave it out with --exclude");
    }
    if (extraction instanceof Extraction.Text text) {
      int utf8Bytes = utf8Length(text.text());
      if (utf8Bytes > DocumentLimits.MAX_CONTENT_BYTES) {
        return DocumentLimits.textTooLarge(utf8Bytes);
      }
      if (text.text().isBlank()) {
        return new Extraction.Skipped("no text in it");
      }
    }
    return extraction;
  }

  static Extraction text(byte[] raw) {
    if (looksBinary(raw)) {
      return new Extraction.Skipped("binary file");
    }
    int start = hasUtf8Bom(raw) ? 3 : 0;
    ByteBuffer bytes = ByteBuffer.wrap(raw, start, raw.length - start);
    try {
      String strict = decoder(CodingErrorAction.REPORT).decode(bytes).toString();
      return new Extraction.Text(strict, Map.of(), List.of());
    } catch (CharacterCodingException e) {
      bytes.position(start);
      String repaired = repair(bytes);
      long replaced = repaired.chars().filter(c -> c == '\uFFFD').count();
      return new Extraction.Text(
          repaired,
          Map.of("encoding.repaired", "true"),
          List.of(
              "not valid UTF-8: "
                  + replaced
                  + " malformed byte sequence(s) replaced with U+FFFD — re-save the file as UTF-8"
                  + " to keep every character"));
    }
  }

  private static String repair(ByteBuffer bytes) {
    try {
      CharBuffer chars = decoder(CodingErrorAction.REPLACE).decode(bytes);
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw new IllegalStateException("a replacing decoder does not report errors", e);
    }
  }

  private static CharsetDecoder decoder(CodingErrorAction onError) {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(onError)
        .onUnmappableCharacter(onError);
  }

  static Extraction html(byte[] raw) {
    Document document;
    try {
      // charset null: jsoup reads the BOM or <meta charset>, UTF-8 otherwise
      document = Jsoup.parse(new ByteArrayInputStream(raw), null, "");
    } catch (IOException e) {
      return new Extraction.Rejected("not readable HTML: " + e.getMessage());
    }
    Map<String, String> metadata = new HashMap<>();
    String title = document.title().strip();
    if (!title.isEmpty()) {
      metadata.put("title", title);
    }
    MarkdownText out = new MarkdownText();
    document.body().traverse(out);
    return new Extraction.Text(tidy(out.text.toString()), metadata, List.of());
  }

  /**
   * The text of a PDF of at most {@link DocumentLimits#MAX_PDF_PAGES} pages, extracted within
   * {@code limit} (checked before each page).
   */
  static Extraction pdf(byte[] raw, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    try (PDDocument document = Loader.loadPDF(raw)) {
      if (document.getNumberOfPages() > DocumentLimits.MAX_PDF_PAGES) {
        return new Extraction.Rejected(
            "the PDF has %d pages, over the limit of %d — split it into smaller files"
                .formatted(document.getNumberOfPages(), DocumentLimits.MAX_PDF_PAGES));
      }
      PDFTextStripper stripper =
          new PDFTextStripper() {
            @Override
            protected void startPage(PDPage page) throws IOException {
              if (System.nanoTime() - deadline >= 0) {
                throw new PdfTooSlowException();
              }
              super.startPage(page);
            }
          };
      stripper.setSortByPosition(true);
      String text = stripper.getText(document);
      if (text.isBlank()) {
        return new Extraction.Rejected(
            "the PDF has no text layer (scanned pages?) — run OCR on it first");
      }
      Map<String, String> metadata = new HashMap<>();
      metadata.put("pages", String.valueOf(document.getNumberOfPages()));
      String title = document.getDocumentInformation().getTitle();
      if (title != null && !title.isBlank()) {
        metadata.put("title", title.strip());
      }
      return new Extraction.Text(tidy(text), metadata, List.of());
    } catch (InvalidPasswordException e) {
      return new Extraction.Rejected("the PDF is password-protected — publish an unprotected copy");
    } catch (PdfTooSlowException e) {
      return new Extraction.Rejected(
          "extracting the PDF's text took over %d s, the limit of one file — split it, or leave it out with --exclude"
              .formatted(limit.toSeconds()));
    } catch (IOException e) {
      return new Extraction.Rejected("not a readable PDF (" + e.getMessage() + ")");
    }
  }

  /** Thrown into PDFBox to stop an extraction past its time. */
  private static final class PdfTooSlowException extends IOException {
    PdfTooSlowException() {
      super("too slow", null);
    }
  }

  private static boolean looksBinary(byte[] raw) {
    for (int i = 0; i < Math.min(raw.length, BINARY_PROBE_BYTES); i++) {
      if (raw[i] == 0) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasUtf8Bom(byte[] raw) {
    return raw.length >= 3
        && (raw[0] & 0xFF) == 0xEF
        && (raw[1] & 0xFF) == 0xBB
        && (raw[2] & 0xFF) == 0xBF;
  }

  private static String tidy(String text) {
    String lines = TRAILING_SPACE.matcher(text.replace("\r\n", "\n")).replaceAll("\n");
    return BLANK_LINES.matcher(lines).replaceAll("\n\n").strip() + "\n";
  }

  static int utf8Length(String text) {
    int bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  /** Renders an HTML body as Markdown-style text: headings, paragraphs, list items, pre blocks. */
  private static final class MarkdownText implements NodeVisitor {
    private final StringBuilder text = new StringBuilder();
    private int dropped;
    private int preformatted;

    @Override
    public void head(Node node, int depth) {
      if (node instanceof Element element) {
        String tag = element.normalName();
        if (DROPPED_ELEMENTS.contains(tag) || dropped > 0) {
          dropped++;
          return;
        }
        if (tag.equals("pre")) {
          preformatted++;
        }
        if (tag.length() == 2 && tag.charAt(0) == 'h' && Character.isDigit(tag.charAt(1))) {
          text.append("\n\n").append("#".repeat(tag.charAt(1) - '0')).append(' ');
        } else if (tag.equals("li")) {
          text.append("\n- ");
        } else if (tag.equals("br")) {
          text.append('\n');
        } else if (BLOCK_ELEMENTS.contains(tag)) {
          text.append("\n\n");
        } else if (tag.equals("td") || tag.equals("th")) {
          text.append(' ');
        }
      } else if (node instanceof TextNode textNode && dropped == 0) {
        text.append(preformatted > 0 ? textNode.getWholeText() : collapsed(textNode));
      }
    }

    @Override
    public void tail(Node node, int depth) {
      if (!(node instanceof Element element)) {
        return;
      }
      if (dropped > 0) {
        dropped--;
        return;
      }
      String tag = element.normalName();
      if (tag.equals("pre")) {
        preformatted--;
      }
      if (BLOCK_ELEMENTS.contains(tag)
          || (tag.length() == 2 && tag.charAt(0) == 'h' && Character.isDigit(tag.charAt(1)))) {
        text.append("\n\n");
      }
    }

    private String collapsed(TextNode node) {
      String value = node.text();
      boolean atLineStart = text.isEmpty() || text.charAt(text.length() - 1) == '\n';
      return atLineStart ? value.stripLeading() : value;
    }
  }
}
