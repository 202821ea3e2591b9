package org.sundials4j.bench.compare;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import javax.imageio.ImageIO;

/**
 * A small log–log line chart written as PNG with java.awt (headless) and javax.imageio: title,
 * labelled axes, a legend, one polyline with markers per series. A point may be flagged (drawn
 * hollow, e.g. over a time budget); NaN points are left out, and notes under the plot say why.
 * x ticks sit at the data's x values (problem sizes); y is a time in seconds, ticked at 1-2-5 steps
 * of each decade.
 */
final class Chart {
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0xff7f0e), new Color(0x9467bd)};
    private static final int W = 900, H = 600, LEFT = 90, RIGHT = 30, TOP = 50, BOTTOM = 110;

    private record Series(String name, double[] x, double[] y, boolean[] flagged) {}

    static {
        // the launcher passes -Djava.awt.headless=true; set it too for other callers, before AWT starts
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private final String title, xLabel, yLabel;
    private final List<Series> series = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    Chart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** Adds a series; {@code y[i]} NaN leaves point i out, {@code flagged[i]} draws it hollow. */
    Chart series(String name, double[] x, double[] y, boolean[] flagged) {
        series.add(new Series(name, x.clone(), y.clone(), flagged.clone()));
        return this;
    }

    /** A line of text under the plot (omitted or flagged points). */
    Chart note(String text) {
        notes.add(text);
        return this;
    }

    void write(Path png) throws IOException {
        int height = H + 18 * notes.size() + 22 * series.size();
        BufferedImage img = new BufferedImage(W, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        int bottom;
        try {
            bottom = draw(g, height);
        } finally {
            g.dispose();
        }
        ImageIO.write(img.getSubimage(0, 0, W, Math.min(height, bottom)), "png", png.toFile());
    }

    /** Draws the chart; returns the height it used. */
    private int draw(Graphics2D g, int height) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, height);
        TreeSet<Double> xs = new TreeSet<>();
        double yMin = Double.POSITIVE_INFINITY, yMax = Double.NEGATIVE_INFINITY;
        for (Series s : series)
            for (int i = 0; i < s.x.length; i++) {
                xs.add(s.x[i]);
                if (Double.isFinite(s.y[i]) && s.y[i] > 0) {
                    yMin = Math.min(yMin, s.y[i]);
                    yMax = Math.max(yMax, s.y[i]);
                }
            }
        if (!(yMin <= yMax)) {
            yMin = 1;
            yMax = 1;
        }
        double pad = Math.max(0.05, 0.06 * (Math.log10(xs.last()) - Math.log10(xs.first())));
        double lx0 = Math.log10(xs.first()) - pad, lx1 = Math.log10(xs.last()) + pad;
        double ly0 = Math.floor(Math.log10(yMin) * 4) / 4 - 0.1, ly1 = Math.ceil(Math.log10(yMax) * 4) / 4 + 0.1;
        int px0 = LEFT, px1 = W - RIGHT, py0 = H - BOTTOM, py1 = TOP;
        Axis ax = v -> px0 + (Math.log10(v) - lx0) / (lx1 - lx0) * (px1 - px0);
        Axis ay = v -> py0 - (Math.log10(v) - ly0) / (ly1 - ly0) * (py0 - py1);

        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        g.setFont(font);
        FontMetrics fm = g.getFontMetrics();
        // grid and ticks
        g.setStroke(new BasicStroke(1f));
        for (double x : xs) {
            int px = (int) Math.round(ax.at(x));
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(px, py0, px, py1);
            g.setColor(Color.DARK_GRAY);
            String t = size(x);
            g.drawString(t, px - fm.stringWidth(t) / 2, py0 + 18);
        }
        for (double y : yTicks(ly0, ly1)) {
            int py = (int) Math.round(ay.at(y));
            g.setColor(new Color(0xe6e6e6));
            g.drawLine(px0, py, px1, py);
            g.setColor(Color.DARK_GRAY);
            String t = seconds(y);
            g.drawString(t, px0 - 6 - fm.stringWidth(t), py + fm.getAscent() / 2 - 1);
        }
        g.setColor(Color.BLACK);
        g.drawRect(px0, py1, px1 - px0, py0 - py1);
        // axis labels and title
        g.drawString(xLabel, (px0 + px1 - fm.stringWidth(xLabel)) / 2, py0 + 42);
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        g.drawString(yLabel, -(py0 + py1 + fm.stringWidth(yLabel)) / 2, 22);
        g.setTransform(saved);
        g.setFont(font.deriveFont(Font.BOLD, 16f));
        g.drawString(title, (W - g.getFontMetrics().stringWidth(title)) / 2, 30);
        g.setFont(font);
        // series
        for (int k = 0; k < series.size(); k++) {
            Series s = series.get(k);
            g.setColor(COLORS[k % COLORS.length]);
            g.setStroke(new BasicStroke(2f));
            int[] last = null;
            for (int i = 0; i < s.x.length; i++) {
                if (!Double.isFinite(s.y[i]) || s.y[i] <= 0) {
                    last = null;
                    continue;
                }
                int[] p = {(int) Math.round(ax.at(s.x[i])), (int) Math.round(ay.at(s.y[i]))};
                if (last != null) g.drawLine(last[0], last[1], p[0], p[1]);
                marker(g, p[0], p[1], s.flagged[i]);
                last = p;
            }
        }
        // legend: one row under the x-axis label, outside the plot so that it hides no point
        int x = px0, y = py0 + 68;
        for (int k = 0; k <= series.size(); k++) {
            boolean flagKey = k == series.size();
            if (flagKey && !anyFlagged()) break;
            String name = flagKey ? "over the time budget (hollow)" : series.get(k).name;
            if (x + 44 + fm.stringWidth(name) > px1) {
                x = px0;
                y += 22;
            }
            g.setColor(flagKey ? Color.DARK_GRAY : COLORS[k % COLORS.length]);
            g.setStroke(new BasicStroke(2f));
            if (!flagKey) g.drawLine(x, y - 4, x + 28, y - 4);
            marker(g, x + 14, y - 4, flagKey);
            g.setColor(Color.BLACK);
            g.drawString(name, x + 34, y);
            x += 34 + fm.stringWidth(name) + 24;
        }
        g.setColor(Color.DARK_GRAY);
        for (int i = 0; i < notes.size(); i++) g.drawString(notes.get(i), px0, y + 26 + 18 * i);
        return y + 18 + 18 * notes.size();
    }

    private boolean anyFlagged() {
        for (Series s : series)
            for (boolean f : s.flagged) if (f) return true;
        return false;
    }

    private interface Axis {
        double at(double v);
    }

    private static void marker(Graphics2D g, int x, int y, boolean hollow) {
        Color c = g.getColor();
        if (hollow) {
            g.setColor(Color.WHITE);
            g.fillOval(x - 6, y - 6, 12, 12);
            g.setColor(c);
            g.drawOval(x - 6, y - 6, 12, 12);
        } else {
            g.fillOval(x - 5, y - 5, 10, 10);
        }
    }

    /** 1, 2, 5 × 10^k inside [10^lo, 10^hi]; decades only when the range spans more than three. */
    private static List<Double> yTicks(double lo, double hi) {
        List<Double> t = new ArrayList<>();
        double[] steps = hi - lo > 3 ? new double[] {1} : new double[] {1, 2, 5};
        for (int e = (int) Math.floor(lo); e <= Math.ceil(hi); e++)
            for (double m : steps) {
                double v = m * Math.pow(10, e);
                if (Math.log10(v) >= lo && Math.log10(v) <= hi) t.add(v);
            }
        return t;
    }

    private static String size(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v);
    }

    /** Seconds as s, ms or µs: 2 ms, 500 µs, 1.5 s. */
    private static String seconds(double v) {
        String[] unit = {"s", "ms", "µs"};
        for (int i = 0; i < unit.length; i++) {
            double scaled = v / Math.pow(1e3, -i);
            if (scaled >= 0.999 || i == unit.length - 1) return size(Math.round(scaled * 100) / 100.0) + " " + unit[i];
        }
        throw new AssertionError();
    }
}
