package dev.agentbrain.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.jfree.chart.plot.ValueMarker;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkChartTest {

  @Test
  @DisplayName(
      "a line chart is saved as a PNG of the asked size, its axis reaching a target above the data")
  void linesReachTheirReferences(@TempDir Path dir) throws Exception {
    BenchmarkChart chart =
        BenchmarkChart.lines("p99 by size", "chunks", "ms")
            .point("bm25", 10_000, 12)
            .point("bm25", 100_000, 21)
            .logarithmicX()
            .logarithmicY()
            .reference("target 50 ms", 50);
    Path png = dir.resolve("deeper/scale.png");
    chart.save(png, 640, 400);

    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(640);
    assertThat(image.getHeight()).isEqualTo(400);
    var plot = chart.chart().getXYPlot();
    assertThat(plot.getRangeAxis().getUpperBound()).isGreaterThanOrEqualTo(50);
    assertThat(((org.jfree.chart.axis.LogAxis) plot.getRangeAxis()).isAutoTickUnitSelection())
        .as("a log axis is labelled at powers of ten only")
        .isFalse();
    assertThat(plot.getRangeMarkers(org.jfree.chart.ui.Layer.FOREGROUND))
        .singleElement()
        .extracting(m -> ((ValueMarker) m).getValue())
        .isEqualTo(50.0);
  }

  @Test
  @DisplayName("log axes of one size and a narrow range reach the powers of ten around them")
  void narrowLogAxesGetTheirDecades() {
    var plot =
        BenchmarkChart.lines("p99 by size", "chunks", "ms")
            .point("bm25", 99_990, 22)
            .point("hybrid", 99_990, 44)
            .logarithmicX()
            .logarithmicY()
            .reference("target 50 ms", 50)
            .chart()
            .getXYPlot();
    assertThat(plot.getDomainAxis().getLowerBound()).isEqualTo(10_000);
    assertThat(plot.getDomainAxis().getUpperBound()).isEqualTo(100_000);
    assertThat(plot.getRangeAxis().getLowerBound()).isEqualTo(10);
    assertThat(plot.getRangeAxis().getUpperBound()).isEqualTo(100);

    var wide =
        BenchmarkChart.lines("p99 by size", "chunks", "ms")
            .point("bm25", 10_000, 5)
            .point("bm25", 100_000, 300)
            .logarithmicX()
            .logarithmicY()
            .chart()
            .getXYPlot();
    assertThat(wide.getRangeAxis().getLowerBound())
        .as("a range with a decade inside")
        .isGreaterThan(1);
  }

  @Test
  @DisplayName("bars keep a fixed value range when one is given, and refuse points")
  void barsKeepAFixedRange() {
    BenchmarkChart chart =
        BenchmarkChart.bars("rates", null, "chunks/s")
            .bar("pipeline", "docs", 31.2)
            .bar("model alone", "docs", 33.6)
            .valueRange(0, 40);
    var axis = chart.chart().getCategoryPlot().getRangeAxis();
    assertThat(axis.getLowerBound()).isZero();
    assertThat(axis.getUpperBound()).isEqualTo(40);
    assertThatThrownBy(() -> chart.point("x", 1, 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("bar chart");
  }
}
