package io.recsys.cli.online;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.renderer.category.IntervalBarRenderer;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.category.DefaultIntervalCategoryDataset;

/** ctr.png: click-through rate per candidate source and arm, a point on its 95% Wilson interval. */
final class OnlineReportPlot {

  private OnlineReportPlot() {}

  static void writeCtr(Path file, OnlineMetrics metrics) throws IOException {
    System.setProperty("java.awt.headless", "true");
    List<String> arms = new ArrayList<>(metrics.arms());
    Set<String> sourceSet = new LinkedHashSet<>();
    metrics.rows.forEach(r -> sourceSet.add(r.source()));
    List<String> sources = new ArrayList<>(sourceSet);
    Number[][] low = new Number[arms.size()][sources.size()];
    Number[][] high = new Number[arms.size()][sources.size()];
    DefaultCategoryDataset points = new DefaultCategoryDataset();
    for (OnlineMetrics.Row r : metrics.rows) {
      int a = arms.indexOf(r.arm());
      int s = sources.indexOf(r.source());
      low[a][s] = r.ctr().low();
      high[a][s] = r.ctr().high();
      points.addValue(r.ctr().value(), r.arm(), r.source());
    }
    DefaultIntervalCategoryDataset intervals = new DefaultIntervalCategoryDataset(
        arms.toArray(Comparable[]::new), sources.toArray(Comparable[]::new), low, high);

    IntervalBarRenderer bars = new IntervalBarRenderer();
    bars.setBarPainter(new StandardBarPainter());
    bars.setShadowVisible(false);
    CategoryPlot plot = new CategoryPlot(intervals, new CategoryAxis("candidate source"), new NumberAxis("CTR"), bars);
    LineAndShapeRenderer marks = new LineAndShapeRenderer(false, true);
    // each mark over its arm's bar
    marks.setUseSeriesOffset(true);
    marks.setItemMargin(bars.getItemMargin());
    marks.setDefaultPaint(Color.BLACK);
    marks.setAutoPopulateSeriesPaint(false);
    marks.setDefaultSeriesVisibleInLegend(false);
    plot.setDataset(1, points);
    plot.setRenderer(1, marks);
    plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    JFreeChart chart = new JFreeChart("Click-through rate per source and arm", plot);
    chart.addSubtitle(new TextTitle("bar: 95% Wilson interval; mark: the measured rate"));
    chart.setBackgroundPaint(Color.WHITE);
    ChartUtils.saveChartAsPNG(file.toFile(), chart, 800, 480);
  }
}
