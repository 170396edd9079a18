package io.recsys.cli.online;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;

/** ctr.png: click-through rate per candidate source, one bar per arm, with its 95% interval. */
final class OnlineReportPlot {

  private OnlineReportPlot() {}

  static void writeCtr(Path file, OnlineMetrics metrics) throws IOException {
    System.setProperty("java.awt.headless", "true");
    DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
    for (OnlineMetrics.Row r : metrics.rows) {
      // the renderer draws symmetric bars: half the Wilson interval's width around the rate
      data.add(r.ctr().value(), (r.ctr().high() - r.ctr().low()) / 2, r.arm(), r.source());
    }
    StatisticalBarRenderer bars = new StatisticalBarRenderer();
    bars.setErrorIndicatorPaint(Color.DARK_GRAY);
    bars.setShadowVisible(false);
    CategoryPlot plot = new CategoryPlot(data, new CategoryAxis("candidate source"), new NumberAxis("CTR"), bars);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    JFreeChart chart = new JFreeChart("Click-through rate per source and arm", plot);
    chart.addSubtitle(new TextTitle("error bars: 95% Wilson interval (its half-width around the rate)"));
    chart.setBackgroundPaint(Color.WHITE);
    ChartUtils.saveChartAsPNG(file.toFile(), chart, 800, 480);
  }
}
