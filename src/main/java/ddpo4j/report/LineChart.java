package ddpo4j.report;

import java.util.List;
import java.util.Locale;

/**
 * A line chart over epochs as inline SVG: one polyline per series (one point per drawn epoch), a
 * translucent band for its error, point markers whose {@code <title>} is the hover tooltip, grid,
 * tick labels, axis titles and a legend when there is more than one series.
 */
final class LineChart {
    private static final int LEFT = 84;
    private static final int RIGHT = 20;
    private static final int BOTTOM = 44;
    private static final int TOP_PLAIN = 14;
    private static final int TOP_LEGEND = 36;

    private final String id;
    private final String yLabel;
    private final int width;
    private final int height;
    private final List<Series> series;

    LineChart(String id, String yLabel, int width, int height, List<Series> series) {
        this.id = id;
        this.yLabel = yLabel;
        this.width = width;
        this.height = height;
        this.series = series;
    }

    /** Whether any series has a point to draw. */
    boolean hasData() {
        return series.stream().anyMatch(s -> s.size() > 0);
    }

    String svg() {
        boolean legend = series.size() > 1;
        int top = legend ? TOP_LEGEND : TOP_PLAIN;
        double pw = width - LEFT - RIGHT;
        double ph = height - top - BOTTOM;
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        int maxPoints = 0;
        for (Series s : series) {
            maxPoints = Math.max(maxPoints, s.size());
            for (int i = 0; i < s.size(); i++) {
                double e = s.hasBand() ? s.err()[i] : 0;
                xMin = Math.min(xMin, s.x()[i]);
                xMax = Math.max(xMax, s.x()[i]);
                yMin = Math.min(yMin, s.y()[i] - e);
                yMax = Math.max(yMax, s.y()[i] + e);
            }
        }
        AxisTicks xt = AxisTicks.integers(xMin, xMax, Math.max(2, (int) (pw / 70)));
        AxisTicks yt = AxisTicks.of(yMin, yMax, Math.max(2, (int) (ph / 45)));
        Scale sx = new Scale(xt.lo, xt.hi, LEFT, LEFT + pw);
        Scale sy = new Scale(yt.lo, yt.hi, top + ph, top);

        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT,
                "<svg class=\"chart\" id=\"%s\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">\n",
                Html.esc(id), width, height, width, height, Html.esc(yLabel + " by epoch")));
        // Grid and y ticks.
        for (double v : yt.values()) {
            double y = sy.at(v);
            b.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
                    (double) LEFT, y, LEFT + pw, y));
            b.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" dominant-baseline=\"middle\">%s</text>\n",
                    LEFT - 6.0, y, Html.esc(yt.label(v))));
        }
        for (double v : xt.values()) {
            double x = sx.at(v);
            b.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>",
                    x, top + ph, x, top + ph + 5));
            b.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n",
                    x, top + ph + 18, Html.esc(xt.label(v))));
        }
        b.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%.1f\"/>", LEFT, top, LEFT, top + ph));
        b.append(String.format(Locale.ROOT, "<line class=\"axis\" x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
                LEFT, top + ph, LEFT + pw, top + ph));
        b.append(String.format(Locale.ROOT, "<text class=\"axis-title\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">epoch</text>\n",
                LEFT + pw / 2, height - 6));
        b.append(String.format(Locale.ROOT,
                "<text class=\"axis-title\" transform=\"translate(14 %.1f) rotate(-90)\" text-anchor=\"middle\">%s</text>\n",
                top + ph / 2, Html.esc(yLabel)));
        // Bands first, then lines and markers on top.
        for (Series s : series) {
            if (s.hasBand() && s.size() > 0) {
                b.append(band(s, sx, sy));
            }
        }
        double r = maxPoints <= 40 ? 3 : maxPoints <= 150 ? 2 : 1.3;
        for (Series s : series) {
            if (s.size() == 0) {
                continue;
            }
            b.append("<polyline class=\"line\" data-series=\"").append(Html.esc(s.label()))
                    .append("\" fill=\"none\" stroke=\"").append(s.color()).append("\" points=\"");
            for (int i = 0; i < s.size(); i++) {
                b.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.1f,%.1f", sx.at(s.x()[i]), sy.at(s.y()[i])));
            }
            b.append("\"/>\n<g class=\"points\" fill=\"").append(s.color()).append("\">");
            for (int i = 0; i < s.size(); i++) {
                String tip = s.label() + " · epoch " + (long) s.x()[i] + ": " + Html.num(s.y()[i])
                        + (s.hasBand() ? " ± " + Html.num(s.err()[i]) : "");
                b.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\"><title>%s</title></circle>",
                        sx.at(s.x()[i]), sy.at(s.y()[i]), r, Html.esc(tip)));
            }
            b.append("</g>\n");
        }
        if (legend) {
            b.append(legend());
        }
        b.append("</svg>");
        return b.toString();
    }

    private String band(Series s, Scale sx, Scale sy) {
        StringBuilder d = new StringBuilder();
        int n = s.size();
        // A single point gets a short vertical bar so its error is still visible.
        double halfWidth = n == 1 ? 4 : 0;
        for (int i = 0; i < n; i++) {
            d.append(i == 0 ? "M" : "L").append(String.format(Locale.ROOT, "%.1f %.1f ",
                    sx.at(s.x()[i]) - halfWidth, sy.at(s.y()[i] + s.err()[i])));
        }
        if (n == 1) {
            d.append(String.format(Locale.ROOT, "L%.1f %.1f ", sx.at(s.x()[0]) + halfWidth, sy.at(s.y()[0] + s.err()[0])));
            d.append(String.format(Locale.ROOT, "L%.1f %.1f ", sx.at(s.x()[0]) + halfWidth, sy.at(s.y()[0] - s.err()[0])));
        }
        for (int i = n - 1; i >= 0; i--) {
            d.append(String.format(Locale.ROOT, "L%.1f %.1f ", sx.at(s.x()[i]) - halfWidth, sy.at(s.y()[i] - s.err()[i])));
        }
        return "<path class=\"band\" fill=\"" + s.color() + "\" d=\"" + d.toString().trim() + "Z\"/>\n";
    }

    private String legend() {
        StringBuilder b = new StringBuilder("<g class=\"legend\">");
        double x = LEFT;
        for (Series s : series) {
            String text = s.label() + (s.hasBand() ? " (± s.e.)" : "");
            if (s.hasBand()) {
                b.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"10\" width=\"18\" height=\"10\" fill=\"%s\""
                        + " fill-opacity=\"0.25\" stroke=\"%s\" stroke-width=\"2\"/>", x, s.color(), s.color()));
            } else {
                b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"15\" x2=\"%.1f\" y2=\"15\" stroke=\"%s\""
                        + " stroke-width=\"2.5\"/><circle cx=\"%.1f\" cy=\"15\" r=\"3\" fill=\"%s\"/>",
                        x, x + 18, s.color(), x + 9, s.color()));
            }
            b.append(String.format(Locale.ROOT, "<text class=\"legend-text\" x=\"%.1f\" y=\"19\">%s</text>", x + 24, Html.esc(text)));
            x += 24 + 7.2 * text.length() + 22;
        }
        return b.append("</g>\n").toString();
    }

    /** Linear map from data to pixels. */
    private record Scale(double d0, double d1, double p0, double p1) {
        double at(double v) {
            return p0 + (v - d0) / (d1 - d0) * (p1 - p0);
        }
    }
}
