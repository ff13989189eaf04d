package io.rankwise.xarray;

import io.rankwise.array.NdArray;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/** PNG pictures of computed labeled arrays with XChart: a line for 1-d, a map (heat map) for 2-d. */
final class Plots {
  private Plots() {}

  static Path plot(DataArray a, NdArray values, Path file, String title) {
    System.setProperty("java.awt.headless", "true");
    if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")) {
      throw new XrException("plot: write a .png file, got '" + file + "'");
    }
    String ylabel = (a.name() == null ? "value" : a.name())
        + (a.attrs().get("units") == null ? "" : " [" + a.attrs().get("units") + "]");
    try {
      if (file.toAbsolutePath().getParent() != null) {
        Files.createDirectories(file.toAbsolutePath().getParent());
      }
      if (a.dims().size() == 1) {
        String dim = a.dims().get(0);
        Coord c = a.coords().get(dim);
        XYChart chart = new XYChartBuilder().width(1000).height(500).title(title).xAxisTitle(dim).yAxisTitle(ylabel)
            .build();
        chart.getStyler().setMarkerSize(0);
        List<Double> ys = new ArrayList<>();
        List<Date> ts = new ArrayList<>();
        List<Double> xs = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
          double y = values.getDouble(i);
          if (Double.isNaN(y)) {
            continue;
          }
          ys.add(y);
          if (c != null && c.isTime()) {
            ts.add(new Date((long) c.value(i)));
          } else {
            xs.add(c == null || c.isText() ? i : c.value(i));
          }
        }
        if (c != null && c.isTime()) {
          chart.getStyler().setDatePattern("yyyy-MM-dd");
          chart.addSeries(ylabel, ts, ys);
        } else {
          chart.addSeries(ylabel, xs, ys);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        return file;
      }
      if (a.dims().size() != 2) {
        throw new XrException("plot: draws 1-d (line) or 2-d (map) arrays; '" + a.name() + "' has dimensions "
            + a.dims() + "; reduce or select first");
      }
      // a map: second dimension across (x), first down (y), as xarray's pcolormesh of (lat, lon)
      String ydim = a.dims().get(0);
      String xdim = a.dims().get(1);
      int ny = values.shape()[0];
      int nx = values.shape()[1];
      List<String> xl = labels(a.coords().get(xdim), nx);
      List<String> yl = labels(a.coords().get(ydim), ny);
      List<Number[]> heat = new ArrayList<>();
      for (int y = 0; y < ny; y++) {
        for (int x = 0; x < nx; x++) {
          double v = values.getDouble(y * nx + x);
          if (!Double.isNaN(v)) {
            heat.add(new Number[] {x, ny - 1 - y, v});
          }
        }
      }
      List<String> ylTop = new ArrayList<>(yl);
      java.util.Collections.reverse(ylTop);
      HeatMapChart chart = new HeatMapChartBuilder().width(1000).height(520).title(title).xAxisTitle(xdim)
          .yAxisTitle(ydim).build();
      chart.getStyler().setShowValue(false);
      chart.getStyler().setDecimalPattern("#0.00");
      chart.getStyler().setPlotContentSize(1.0);
      chart.getStyler().setRangeColors(new java.awt.Color[] {new java.awt.Color(49, 54, 149),
          new java.awt.Color(116, 173, 209), new java.awt.Color(255, 255, 191), new java.awt.Color(244, 109, 67),
          new java.awt.Color(165, 0, 38)});
      chart.addSeries(ylabel, xl, ylTop, heat);
      BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("plot: cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  /** Axis labels, about a dozen shown (the others are distinct invisible strings, as categories must differ). */
  private static List<String> labels(Coord c, int n) {
    int step = Math.max(1, (n + 11) / 12);
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(i % step == 0 ? (c == null ? String.valueOf(i) : c.label(i)) : "\u200B".repeat(i + 1));
    }
    return out;
  }
}
