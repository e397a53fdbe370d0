package dev.agentbrain.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * One PNG plot of a benchmark or evaluation: grouped bars ({@link #bars}) or lines through points
 * ({@link #lines}), with horizontal reference lines for published numbers or targets ({@link
 * #reference}). The value axis always reaches every reference line, so a target above the data is
 * still drawn. White background, light grid, the same look for every plot under {@code
 * docs/benchmarks/}.
 *
 * <p>Not thread-safe: build one chart in one thread, then {@link #save} it.
 */
public final class BenchmarkChart {

  private static final Color REFERENCE = new Color(0xC0, 0x39, 0x2B);

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final boolean bars;
  private final DefaultCategoryDataset categories = new DefaultCategoryDataset();
  private final Map<String, XYSeries> series = new LinkedHashMap<>();
  private final List<Reference> references = new ArrayList<>();
  private boolean logX;
  private boolean logY;
  private boolean stacked;
  private double[] yRange;

  private record Reference(String label, double value) {}

  private BenchmarkChart(String title, String xLabel, String yLabel, boolean bars) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
    this.bars = bars;
  }

  /** Vertical bars, one per series in each category, in the order they are added. */
  public static BenchmarkChart bars(String title, String categoryLabel, String valueLabel) {
    return new BenchmarkChart(title, categoryLabel, valueLabel, true);
  }

  /** Lines with a marker at each point, one line per series. */
  public static BenchmarkChart lines(String title, String xLabel, String yLabel) {
    return new BenchmarkChart(title, xLabel, yLabel, false);
  }

  /** The bar of {@code series} in {@code category} (bar charts only). */
  public BenchmarkChart bar(String series, String category, double value) {
    requireKind(true);
    categories.addValue(value, series, category);
    return this;
  }

  /** A point of {@code series} (line charts only); points are joined in increasing x. */
  public BenchmarkChart point(String name, double x, double y) {
    requireKind(false);
    series.computeIfAbsent(name, XYSeries::new).add(x, y);
    return this;
  }

  /** A horizontal line across the plot at {@code value}, labelled (a target or published value). */
  public BenchmarkChart reference(String label, double value) {
    references.add(new Reference(label, value));
    return this;
  }

  /** Each category's bars stacked into one (bar charts only): parts of one total. */
  public BenchmarkChart stacked() {
    requireKind(true);
    stacked = true;
    return this;
  }

  /** A logarithmic x axis (line charts only), for sizes that grow by factors of ten. */
  public BenchmarkChart logarithmicX() {
    requireKind(false);
    logX = true;
    return this;
  }

  /**
   * A logarithmic value axis (line charts only), ticks at powers of ten: for latencies that span
   * milliseconds to seconds.
   */
  public BenchmarkChart logarithmicY() {
    requireKind(false);
    logY = true;
    return this;
  }

  /** A fixed value axis from {@code lower} to {@code upper} instead of one fitted to the data. */
  public BenchmarkChart valueRange(double lower, double upper) {
    yRange = new double[] {lower, upper};
    return this;
  }

  /**
   * Writes the chart as a PNG of {@code width} by {@code height} pixels, creating the folder.
   *
   * @throws UncheckedIOException when the file cannot be written
   */
  public void save(Path png, int width, int height) {
    try {
      if (png.toAbsolutePath().getParent() != null) {
        Files.createDirectories(png.toAbsolutePath().getParent());
      }
      ChartUtils.saveChartAsPNG(png.toFile(), chart(), width, height);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the chart " + png, e);
    }
  }

  /** The chart as JFreeChart draws it; package-private for the test. */
  JFreeChart chart() {
    JFreeChart chart;
    ValueAxis valueAxis;
    Plot plot;
    if (bars) {
      chart =
          stacked
              ? ChartFactory.createStackedBarChart(
                  title, xLabel, yLabel, categories, PlotOrientation.VERTICAL, true, false, false)
              : ChartFactory.createBarChart(
                  title, xLabel, yLabel, categories, PlotOrientation.VERTICAL, true, false, false);
      CategoryPlot categoryPlot = chart.getCategoryPlot();
      categoryPlot.setRangeGridlinePaint(Color.LIGHT_GRAY);
      references.forEach(r -> categoryPlot.addRangeMarker(marker(r), Layer.FOREGROUND));
      valueAxis = categoryPlot.getRangeAxis();
      plot = categoryPlot;
    } else {
      XYSeriesCollection data = new XYSeriesCollection();
      series.values().forEach(data::addSeries);
      chart =
          ChartFactory.createXYLineChart(
              title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true, false, false);
      XYPlot xyPlot = chart.getXYPlot();
      XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
      for (int i = 0; i < data.getSeriesCount(); i++) {
        renderer.setSeriesStroke(i, new BasicStroke(2f));
      }
      xyPlot.setRenderer(renderer);
      if (logX) {
        xyPlot.setDomainAxis(decades(xLabel));
      }
      if (logY) {
        xyPlot.setRangeAxis(decades(yLabel));
      }
      xyPlot.setDomainGridlinePaint(Color.LIGHT_GRAY);
      xyPlot.setRangeGridlinePaint(Color.LIGHT_GRAY);
      references.forEach(r -> xyPlot.addRangeMarker(marker(r), Layer.FOREGROUND));
      valueAxis = xyPlot.getRangeAxis();
      if (valueAxis instanceof NumberAxis numbers) {
        numbers.setAutoRangeIncludesZero(false);
      }
      plot = xyPlot;
    }
    plot.setBackgroundPaint(Color.WHITE);
    chart.getTitle().setFont(chart.getTitle().getFont().deriveFont(Font.BOLD, 15f));
    if (yRange != null) {
      valueAxis.setRange(yRange[0], yRange[1]);
    } else {
      double highest = references.stream().mapToDouble(Reference::value).max().orElse(0);
      if (highest * 1.08 > valueAxis.getUpperBound()) {
        valueAxis.setRange(valueAxis.getLowerBound(), highest * 1.08);
      }
    }
    if (plot instanceof XYPlot xyPlot) {
      if (logX) {
        labelledDecade(xyPlot.getDomainAxis());
      }
      if (logY && yRange == null) {
        labelledDecade(xyPlot.getRangeAxis());
      }
    }
    return chart;
  }

  /**
   * Widens a logarithmic axis whose range holds no power of ten (one size, or latencies between 20
   * and 90 ms) to the powers of ten around it, which it labels: otherwise it has no label.
   */
  private static void labelledDecade(ValueAxis axis) {
    double lower = Math.log10(axis.getLowerBound());
    double upper = Math.log10(axis.getUpperBound());
    if (Math.ceil(lower) <= Math.floor(upper)) {
      return;
    }
    axis.setRange(Math.pow(10, Math.floor(lower)), Math.pow(10, Math.ceil(upper)));
  }

  /** A base-10 logarithmic axis labelled at each power of ten. */
  private static LogAxis decades(String label) {
    LogAxis axis = new LogAxis(label);
    axis.setBase(10);
    axis.setTickUnit(new NumberTickUnit(1), false, true);
    axis.setNumberFormatOverride(NumberFormat.getIntegerInstance(Locale.ROOT));
    return axis;
  }

  private static ValueMarker marker(Reference reference) {
    ValueMarker marker =
        new ValueMarker(
            reference.value(),
            REFERENCE,
            new BasicStroke(
                1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    marker.setLabel(reference.label());
    marker.setLabelPaint(REFERENCE);
    marker.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    marker.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
    marker.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
    marker.setLabelBackgroundColor(new Color(255, 255, 255, 0));
    return marker;
  }

  private void requireKind(boolean barChart) {
    if (bars != barChart) {
      throw new IllegalStateException(
          "this is a " + (bars ? "bar" : "line") + " chart: use " + (bars ? "bar" : "point"));
    }
  }
}
