package dev.agentbrain.embedding.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class WordPieceCounterTest {

  private static HuggingFaceTokenizer nativeTokenizer;
  private static WordPieceCounter counter;

  @BeforeAll
  static void load() throws IOException {
    byte[] json = BundledModel.BGE_SMALL_EN_V15_Q.tokenizerBytes();
    nativeTokenizer =
        HuggingFaceTokenizer.newInstance(
            new ByteArrayInputStream(json), Map.of("padding", "false", "truncation", "false"));
    counter = WordPieceCounter.of(new ObjectMapper().readTree(json)).orElseThrow();
  }

  @AfterAll
  static void close() {
    nativeTokenizer.close();
  }

  @Test
  @DisplayName("counts tricky text exactly as the native tokenizer does")
  void countsTrickyText() {
    List<String> texts =
        List.of(
            "The quick brown fox jumps over the lazy dog.",
            "public static void main(String[] args) { System.out.println(\"hi\"); }",
            "naïve café résumé Straße İstanbul Kelvin \u212A",
            "ΑΒΓ δέλτα σοφός Привет, мир! Ёлка",
            "日本語のテキスト、中文文本。한국어 텍스트",
            "[CLS] starts, [SEP] ends, foo[MASK]bar, [cls] stays text, [PAD][UNK]",
            "co\u00ADoperate a\u200Bb x\u00A0y \uFEFFbom \uFFFD\u0000\u0007\u000B\u0085",
            "—–… “quoted” ‘single’ «guillemets» ¿qué? ¡sí!",
            "°C ±5 € £ ¥ © ® ™ → ⇒ ∀x ∈ ℝ ① ★ ✓ ┌─┐",
            "x".repeat(100) + " " + "y".repeat(101),
            "supercalifragilisticexpialidocious antidisestablishmentarianism",
            "ＡＢＣ１２３！ ｶﾀｶﾅ",
            "tabs\tand\nnewlines\r\nand  spaces",
            "");
    for (String text : texts) {
      assertThat(counter.count(text)).as(text).hasValue(nativeCount(text));
    }
  }

  @Test
  @DisplayName("agrees with the native tokenizer on random text from the stable blocks")
  void agreesOnRandomText() {
    Random random = new Random(20261124);
    List<Character> stable = new ArrayList<>();
    for (char c = 0; c < 0xFFFF; c++) {
      if (WordPieceCounter.isStable(c)) {
        stable.add(c);
      }
    }
    for (int n = 0; n < 3000; n++) {
      StringBuilder text = new StringBuilder();
      int length = 1 + random.nextInt(120);
      for (int i = 0; i < length; i++) {
        int roll = random.nextInt(10);
        if (roll < 2) {
          text.append(' ');
        } else if (roll < 6) {
          text.append((char) ('a' + random.nextInt(26)));
        } else {
          text.append(stable.get(random.nextInt(stable.size())));
        }
      }
      String sample = text.toString();
      assertThat(counter.count(sample))
          .as("%s", sample.codePoints().mapToObj(Integer::toHexString).toList())
          .hasValue(nativeCount(sample));
    }
  }

  @Test
  @DisplayName("declines text with characters outside the stable blocks")
  void declinesOtherText() {
    assertThat(counter.count("launch 🚀")).isEmpty();
    assertThat(counter.count("ligature ﬁ")).isEmpty();
  }

  private static int nativeCount(String text) {
    return nativeTokenizer.encode(text, false, false).getIds().length;
  }
}
