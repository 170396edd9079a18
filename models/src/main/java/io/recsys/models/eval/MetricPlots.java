package io.recsys.models.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** One PNG per metric: the metric against k, one line per model. */
final class MetricPlots {

  private static final Color[] PALETTE = {
      new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
      new Color(0x9467bd), new Color(0x8c564b)};

  private MetricPlots() {}

  /** @return the written files' names, relative to {@code dir} */
  static List<String> write(Path dir, List<EvaluationRun.ModelResult> results, int[] ks) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Set<String> bases = new LinkedHashSet<>();
    for (EvaluationRun.ModelResult r : results) {
      for (String key : r.metrics().keySet()) {
        int at = key.indexOf('@');
        if (at > 0) {
          bases.add(key.substring(0, at));
        }
      }
    }
    List<String> files = new ArrayList<>();
    for (String base : bases) {
      XYSeriesCollection data = new XYSeriesCollection();
      for (EvaluationRun.ModelResult r : results) {
        XYSeries line = new XYSeries(r.name());
        for (int k : ks) {
          Double v = r.metrics().get(base + "@" + k);
          if (v != null) {
            line.add(k, v);
          }
        }
        if (!line.isEmpty()) {
          data.addSeries(line);
        }
      }
      JFreeChart chart = ChartFactory.createXYLineChart(base + "@k", "k", base, data,
          PlotOrientation.VERTICAL, true, false, false);
      style(chart);
      String name = base + ".png";
      ChartUtils.saveChartAsPNG(dir.resolve(name).toFile(), chart, 720, 450);
      files.add(name);
    }
    return files;
  }

  /** White background, thick lines with a marker at each k, colours that stay apart in print. */
  private static void style(JFreeChart chart) {
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    for (int s = 0; s < plot.getDataset().getSeriesCount(); s++) {
      renderer.setSeriesPaint(s, PALETTE[s % PALETTE.length]);
      renderer.setSeriesStroke(s, new BasicStroke(2.5f));
    }
    plot.setRenderer(renderer);
  }

}
