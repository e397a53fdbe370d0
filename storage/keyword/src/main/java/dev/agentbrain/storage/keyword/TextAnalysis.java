package dev.agentbrain.storage.keyword;

import dev.agentbrain.storage.UnsupportedSearchException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.WordlistLoader;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * The Lucene analysis that stands for a PostgreSQL text-search configuration, so that a keyword
 * query finds the same terms on both backends as far as two tokenizers allow: {@code simple} lower
 * cases words; a language ({@code english}, {@code german}, ...) also drops Snowball's stop words
 * for it and stems with Snowball's stemmer for it, which are the stop lists and stemmers that
 * PostgreSQL's own configurations use. Words are cut by Unicode's word rules ({@link
 * StandardTokenizer}), which differ from PostgreSQL's parser on some URLs, e-mail addresses and
 * hyphenated words.
 */
final class TextAnalysis {

  private TextAnalysis() {}

  /**
   * The analyzer for a text-search configuration name.
   *
   * @throws UnsupportedSearchException when Lucene has no Snowball stemmer or stop list for it
   */
  static Analyzer forLanguage(String textSearchLanguage) {
    if (textSearchLanguage.equals("simple")) {
      return new Analyzer() {
        @Override
        protected TokenStreamComponents createComponents(String fieldName) {
          Tokenizer words = new StandardTokenizer();
          return new TokenStreamComponents(words, new LowerCaseFilter(words));
        }
      };
    }
    String stemmer =
        textSearchLanguage.substring(0, 1).toUpperCase(Locale.ROOT)
            + textSearchLanguage.substring(1);
    CharArraySet stopWords = snowballStopWords(textSearchLanguage);
    try {
      Class.forName("org.tartarus.snowball.ext." + stemmer + "Stemmer");
    } catch (ClassNotFoundException e) {
      throw unsupported(textSearchLanguage);
    }
    boolean english = textSearchLanguage.equals("english");
    return new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String fieldName) {
        Tokenizer words = new StandardTokenizer();
        TokenStream stream = english ? new EnglishPossessiveFilter(words) : words;
        stream = new LowerCaseFilter(stream);
        stream = new StopFilter(stream, stopWords);
        return new TokenStreamComponents(words, new SnowballFilter(stream, stemmer));
      }
    };
  }

  /** The analysed terms of {@code text}, repeats included, in order. */
  static List<String> terms(Analyzer analyzer, String field, String text) {
    List<String> terms = new ArrayList<>();
    try (TokenStream stream = analyzer.tokenStream(field, text)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        terms.add(term.toString());
      }
      stream.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringReader does not fail
    }
    return terms;
  }

  private static CharArraySet snowballStopWords(String language) {
    InputStream list =
        SnowballFilter.class.getResourceAsStream(
            "/org/apache/lucene/analysis/snowball/" + language + "_stop.txt");
    if (list == null) {
      throw unsupported(language);
    }
    try (Reader reader = new InputStreamReader(list, StandardCharsets.UTF_8)) {
      return WordlistLoader.getSnowballWordSet(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("reading Lucene's stop words for " + language, e);
    }
  }

  private static UnsupportedSearchException unsupported(String language) {
    return new UnsupportedSearchException(
        "the keyword index has no analysis for text-search language '%s'; use 'simple', 'english' or another language with a Snowball stemmer and stop list (danish, dutch, finnish, french, german, hungarian, italian, norwegian, portuguese, russian, spanish, swedish)"
            .formatted(language));
  }
}
