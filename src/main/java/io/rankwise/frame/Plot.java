package io.rankwise.frame;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Plots of small results (pandas' {@code .plot()}), written as PNG with XChart, headless: lines
 * against a datetime or numeric index (or the row number), bars for a string index.
 */
final class Plot {
  private Plot() {}

  static Path line(Table t, Path file, String title) {
    System.setProperty("java.awt.headless", "true");
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (!name.endsWith(".png")) {
      throw new FrameException("plot: write a .png file, got '" + file + "'");
    }
    List<String> numeric = new ArrayList<>();
    for (int c = 0; c < t.names.length; c++) {
      ColumnType ty = t.columns[c].type();
      if (ty == ColumnType.FLOAT64 || ty == ColumnType.INT64) {
        numeric.add(t.names[c]);
      }
    }
    if (numeric.isEmpty()) {
      throw new FrameException("plot: no numeric column to draw among " + t.columnNames());
    }
    if (t.index != null && t.index.type() == ColumnType.STRING) {
      return bars(t, numeric, file, title);
    }
    boolean dates = t.index != null && t.index.type() == ColumnType.DATETIME;
    XYChart chart = new XYChartBuilder().width(1000).height(500).title(title)
        .xAxisTitle(t.indexName == null ? "row" : t.indexName).yAxisTitle(String.join(", ", numeric)).build();
    chart.getStyler().setMarkerSize(4);
    if (dates) {
      chart.getStyler().setDatePattern("yyyy-MM-dd HH:mm");
    }
    for (String col : numeric) {
      Column c = t.column(col);
      List<Object> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (int i = 0; i < t.rows; i++) {
        double y = c.getDouble(i);
        if (Double.isNaN(y)) {
          continue;
        }
        xs.add(dates ? new Date(Math.floorDiv(t.index.getLong(i), 1_000_000L))
            : t.index == null ? (Object) (double) i : (Object) t.index.getDouble(i));
        ys.add(y);
      }
      XYSeries s = dates ? chart.addSeries(col, castDates(xs), ys) : chart.addSeries(col, castNumbers(xs), ys);
      s.setMarker(SeriesMarkers.CIRCLE);
    }
    return save(chart, file);
  }

  /** A string index (a groupby result, say): one bar per label and numeric column. */
  private static Path bars(Table t, List<String> numeric, Path file, String title) {
    org.knowm.xchart.CategoryChart chart = new org.knowm.xchart.CategoryChartBuilder().width(1000).height(500)
        .title(title).xAxisTitle(t.indexName == null ? "" : t.indexName).yAxisTitle(String.join(", ", numeric)).build();
    chart.getStyler().setXAxisLabelRotation(t.rows > 12 ? 45 : 0);
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < t.rows; i++) {
      labels.add(t.index.isNull(i) ? "NaN" : t.index.getString(i));
    }
    for (String col : numeric) {
      Column c = t.column(col);
      List<Double> ys = new ArrayList<>();
      for (int i = 0; i < t.rows; i++) {
        ys.add(c.getDouble(i));
      }
      chart.addSeries(col, labels, ys);
    }
    return save(chart, file);
  }

  private static Path save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file) {
    try {
      if (file.toAbsolutePath().getParent() != null) {
        Files.createDirectories(file.toAbsolutePath().getParent());
      }
      String base = file.toString().substring(0, file.toString().length() - 4);
      BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return file;
  }

  @SuppressWarnings("unchecked")
  private static List<Date> castDates(List<Object> xs) {
    return (List<Date>) (List<?>) xs;
  }

  @SuppressWarnings("unchecked")
  private static List<Number> castNumbers(List<Object> xs) {
    return (List<Number>) (List<?>) xs;
  }
}
