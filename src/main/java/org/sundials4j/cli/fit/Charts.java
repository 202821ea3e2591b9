package org.sundials4j.cli.fit;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Paint;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The example charts, drawn by JFreeChart: line and point series on one plot, bands (a
 * {@link DeviationRenderer}) and log axes. Each method writes one PNG.
 */
final class Charts {
    static final Paint[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd),
            new Color(0xff7f0e), new Color(0x8c564b)};
    private static final int WIDTH = 900, HEIGHT = 560;

    private Charts() {
    }

    /** A line (or band) with its name and colour index. */
    record Line(String name, double[] x, double[] y, double[] lo, double[] hi, int colour, boolean dashed) {
        static Line of(String name, double[] x, double[] y, int colour) {
            return new Line(name, x, y, null, null, colour, false);
        }

        Line withDashes() {
            return new Line(name, x, y, lo, hi, colour, true);
        }
    }

    /** Points (data) with a name and colour index. */
    record Points(String name, double[] x, double[] y, int colour) {
    }

    /**
     * Lines (with optional bands {@code lo..hi}) and data points on linear axes.
     */
    static Path linesAndPoints(Path file, String title, String subtitle, String xLabel, String yLabel, Line[] lines, Points[] points) {
        XYIntervalSeriesCollection bands = new XYIntervalSeriesCollection();
        for (Line l : lines) {
            XYIntervalSeries s = new XYIntervalSeries(l.name(), false, true); // unsorted: phase-plane curves
            for (int i = 0; i < l.x().length; i++) {
                double lo = l.lo() == null ? l.y()[i] : l.lo()[i], hi = l.hi() == null ? l.y()[i] : l.hi()[i];
                s.add(l.x()[i], l.x()[i], l.x()[i], l.y()[i], lo, hi);
            }
            bands.addSeries(s);
        }
        DeviationRenderer lineRenderer = new DeviationRenderer(true, false);
        for (int i = 0; i < lines.length; i++) {
            Paint c = PALETTE[lines[i].colour() % PALETTE.length];
            lineRenderer.setSeriesPaint(i, c);
            lineRenderer.setSeriesFillPaint(i, c);
            lineRenderer.setSeriesStroke(i, lines[i].dashed()
                    ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {8f, 5f}, 0f)
                    : new BasicStroke(2f));
        }
        lineRenderer.setAlpha(0.25f);
        XYPlot plot = new XYPlot(bands, new NumberAxis(xLabel), new NumberAxis(yLabel), lineRenderer);
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        ((NumberAxis) plot.getDomainAxis()).setAutoRangeIncludesZero(false);
        if (points.length > 0) {
            XYSeriesCollection data = new XYSeriesCollection();
            XYLineAndShapeRenderer dots = new XYLineAndShapeRenderer(false, true);
            Shape dot = new Ellipse2D.Double(-3, -3, 6, 6);
            for (int i = 0; i < points.length; i++) {
                XYSeries s = new XYSeries(points[i].name(), false, true);
                for (int k = 0; k < points[i].x().length; k++)
                    if (Double.isFinite(points[i].y()[k])) s.add(points[i].x()[k], points[i].y()[k]);
                data.addSeries(s);
                dots.setSeriesPaint(i, PALETTE[points[i].colour() % PALETTE.length]);
                dots.setSeriesShape(i, dot);
            }
            plot.setDataset(1, data);
            plot.setRenderer(1, dots);
        }
        return write(file, title, subtitle, plot);
    }

    /** One or more curves against iteration with a logarithmic value axis. */
    static Path logCurve(Path file, String title, String subtitle, String xLabel, String yLabel, Line... lines) {
        XYSeriesCollection c = new XYSeriesCollection();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < lines.length; i++) {
            XYSeries s = new XYSeries(lines[i].name(), false, true);
            for (int k = 0; k < lines[i].x().length; k++) if (lines[i].y()[k] > 0) s.add(lines[i].x()[k], lines[i].y()[k]);
            c.addSeries(s);
            r.setSeriesPaint(i, PALETTE[lines[i].colour() % PALETTE.length]);
            r.setSeriesStroke(i, new BasicStroke(2f));
        }
        LogAxis y = new LogAxis(yLabel);
        y.setSmallestValue(1e-300);
        y.setAutoTickUnitSelection(false);
        y.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1.0)); // whole decades, not 10^0.2 steps
        XYPlot plot = new XYPlot(c, new NumberAxis(xLabel), y, r);
        return write(file, title, subtitle, plot);
    }

    /** Column {@code j} of row-major {@code rows} (states or data by time): one series to plot. */
    static double[] column(double[][] rows, int j) {
        double[] c = new double[rows.length];
        for (int k = 0; k < c.length; k++) c[k] = rows[k][j];
        return c;
    }

    private static Path write(Path file, String title, String subtitle, XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        if (subtitle != null) chart.addSubtitle(new TextTitle(subtitle));
        try {
            ChartUtils.saveChartAsPNG(new File(file.toString()), chart, WIDTH, HEIGHT);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
        return file;
    }
}
