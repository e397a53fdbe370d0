package dev.agentbrain.embedding.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Counts the tokens of a BERT-style Hugging Face tokenizer (BertNormalizer, BertPreTokenizer,
 * WordPiece) in Java, following the steps of the tokenizer.json it is built from: added tokens
 * split off first; control characters removed; CJK ideographs, whitespace and punctuation separate
 * words; accents stripped (NFD without non-spacing marks); lower case; then greedy longest-match
 * WordPiece per word, a word without a match or over {@code max_input_chars_per_word} being one
 * unknown token.
 *
 * <p>It exists for speed: the native tokenizer behind JNI takes ~0.4 µs per character, which made
 * chunking cost a tenth of embedding. Character tables differ between Unicode versions, so it only
 * answers for text whose characters all lie in blocks that were complete long ago (Latin, Greek,
 * Cyrillic, common punctuation and symbols, CJK, kana, Hangul); for other text it declines and the
 * caller asks the native tokenizer. Thread-safe.
 */
final class WordPieceCounter {

  private final Set<String> vocabulary;
  private final int longestEntry;
  private final int maxWordChars;
  private final String continuationPrefix;
  private final List<String> addedTokens;
  private final String addedTokenStarts;

  private WordPieceCounter(
      Set<String> vocabulary,
      int maxWordChars,
      String continuationPrefix,
      List<String> addedTokens) {
    this.vocabulary = vocabulary;
    this.longestEntry = vocabulary.stream().mapToInt(String::length).max().orElse(1);
    this.maxWordChars = maxWordChars;
    this.continuationPrefix = continuationPrefix;
    this.addedTokens = addedTokens;
    StringBuilder starts = new StringBuilder();
    addedTokens.stream().filter(t -> !t.isEmpty()).forEach(t -> starts.append(t.charAt(0)));
    this.addedTokenStarts = starts.toString();
  }

  /**
   * A counter for the tokenizer described by {@code tokenizerJson}, or none if it is not the
   * lower-casing BERT configuration this class reproduces.
   */
  static Optional<WordPieceCounter> of(JsonNode tokenizerJson) {
    JsonNode normalizer = tokenizerJson.path("normalizer");
    JsonNode model = tokenizerJson.path("model");
    boolean reproducible =
        normalizer.path("type").asText().equals("BertNormalizer")
            && normalizer.path("clean_text").asBoolean(false)
            && normalizer.path("handle_chinese_chars").asBoolean(false)
            && normalizer.path("lowercase").asBoolean(false)
            && (normalizer.path("strip_accents").isNull()
                || normalizer.path("strip_accents").asBoolean(false))
            && tokenizerJson.path("pre_tokenizer").path("type").asText().equals("BertPreTokenizer")
            && model.path("type").asText().equals("WordPiece");
    List<String> added = new ArrayList<>();
    for (JsonNode token : tokenizerJson.path("added_tokens")) {
      // added tokens are matched in the raw text, before normalisation, as whole strings only
      reproducible &=
          !token.path("normalized").asBoolean(true)
              && !token.path("lstrip").asBoolean(true)
              && !token.path("rstrip").asBoolean(true)
              && !token.path("single_word").asBoolean(true);
      added.add(token.path("content").asText());
    }
    if (!reproducible) {
      return Optional.empty();
    }
    Set<String> vocabulary = new HashSet<>();
    model.path("vocab").fieldNames().forEachRemaining(vocabulary::add);
    return Optional.of(
        new WordPieceCounter(
            vocabulary,
            model.path("max_input_chars_per_word").asInt(100),
            model.path("continuing_subword_prefix").asText("##"),
            List.copyOf(added)));
  }

  /** Tokens of {@code text} without special tokens, or empty if this counter declines it. */
  OptionalInt count(String text) {
    int tokens = 0;
    StringBuilder word = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (!isStable(c)) {
        return OptionalInt.empty();
      }
      int added = addedTokenLength(text, i);
      if (added > 0) {
        tokens += wordPieces(word) + 1;
        i += added;
        continue;
      }
      i++;
      if (c == 0 || c == '\uFFFD' || isControl(c)) {
        continue;
      }
      if (isWhitespace(c)) {
        tokens += wordPieces(word);
      } else if (isChineseCharacter(c)) {
        // an ideograph is a word of its own: one token, known or not
        tokens += wordPieces(word) + 1;
      } else if (c < 0x80) {
        tokens += appendNormalized(Character.toLowerCase(c), word);
      } else {
        String decomposed = Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFD);
        for (int k = 0; k < decomposed.length(); k++) {
          char part = decomposed.charAt(k);
          if (Character.getType(part) != Character.NON_SPACING_MARK) {
            tokens += appendNormalized(Character.toLowerCase(part), word);
          }
        }
      }
    }
    return OptionalInt.of(tokens + wordPieces(word));
  }

  /** Adds a normalised char to the word, or ends the word at punctuation; the tokens completed. */
  private int appendNormalized(char c, StringBuilder word) {
    if (isPunctuation(c)) {
      // a punctuation char is a word of its own: one token, known or not
      return wordPieces(word) + 1;
    }
    word.append(c);
    return 0;
  }

  /** WordPiece tokens of the word so far, which is then cleared. */
  private int wordPieces(StringBuilder word) {
    int length = word.length();
    if (length == 0) {
      return 0;
    }
    String text = word.toString();
    word.setLength(0);
    if (length > maxWordChars) {
      return 1;
    }
    int pieces = 0;
    int start = 0;
    while (start < length) {
      int end = Math.min(length, start + longestEntry);
      while (end > start && !vocabulary.contains(piece(text, start, end))) {
        end--;
      }
      if (end == start) {
        // no piece matches: the whole word is one unknown token
        return 1;
      }
      pieces++;
      start = end;
    }
    return pieces;
  }

  private String piece(String word, int start, int end) {
    String piece = word.substring(start, end);
    return start == 0 ? piece : continuationPrefix + piece;
  }

  private int addedTokenLength(String text, int index) {
    if (addedTokenStarts.indexOf(text.charAt(index)) < 0) {
      return 0;
    }
    for (String token : addedTokens) {
      if (text.startsWith(token, index)) {
        return token.length();
      }
    }
    return 0;
  }

  /**
   * Whether the char lies in a block whose characters, categories, decompositions and case mappings
   * have not changed for many Unicode versions, so that this class and the native library classify
   * it alike.
   */
  static boolean isStable(char c) {
    return c < 0x0500 // Latin, IPA, diacritics, Greek, Cyrillic
        || c >= 0x2000 && c < 0x2070 // general punctuation
        || c >= 0x20A0 && c < 0x20BE // currency signs up to Unicode 7
        || c >= 0x2100 && c < 0x218A // letterlike symbols, number forms
        || c >= 0x2190 && c < 0x2300 // arrows, mathematical operators
        || c >= 0x2460 && c < 0x27C0 // enclosed alphanumerics, box drawing, shapes, dingbats
        || c >= 0x3000 && c < 0x3100 // CJK punctuation, hiragana, katakana
        || c >= 0x4E00 && c < 0x9FA6 // CJK ideographs of Unicode 1.1
        || c >= 0xAC00 && c < 0xD7A4 // Hangul syllables
        || c >= 0xFF00 && c < 0xFFF0 // half- and full-width forms
        || c == 0xFEFF
        || c == 0xFFFD;
  }

  private static boolean isWhitespace(char c) {
    // Unicode White_Space, as Rust's char::is_whitespace
    return c == ' '
        || c >= '\t' && c <= '\r'
        || c == 0x85
        || c == 0xA0
        || c == 0x1680
        || c >= 0x2000 && c <= 0x200A
        || c == 0x2028
        || c == 0x2029
        || c == 0x202F
        || c == 0x205F
        || c == 0x3000;
  }

  private static boolean isControl(char c) {
    // unassigned code points stay (the native tokenizer keeps them); none else occurs here
    return c != '\t'
        && c != '\n'
        && c != '\r'
        && (Character.getType(c) == Character.CONTROL || Character.getType(c) == Character.FORMAT);
  }

  private static boolean isPunctuation(char c) {
    if (c < 0x80) {
      return c > ' ' && c < 0x7F && !Character.isLetterOrDigit(c);
    }
    return switch (Character.getType(c)) {
      case Character.CONNECTOR_PUNCTUATION,
          Character.DASH_PUNCTUATION,
          Character.START_PUNCTUATION,
          Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION,
          Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION ->
          true;
      default -> false;
    };
  }

  private static boolean isChineseCharacter(char c) {
    // the BMP part of the ranges BertNormalizer spaces out; others are declined by isStable
    return c >= 0x4E00 && c <= 0x9FFF || c >= 0x3400 && c <= 0x4DBF || c >= 0xF900 && c <= 0xFAFF;
  }
}
