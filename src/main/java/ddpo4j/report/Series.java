package ddpo4j.report;

import java.util.Arrays;

/**
 * One curve of a chart: points (x, y) with an optional half-width {@code err} for an error band
 * (null: no band), and how many of the run's values for it were NaN or infinite (not drawn).
 */
record Series(String label, String color, double[] x, double[] y, double[] err, int nonFinite) {
    int size() {
        return x.length;
    }

    boolean hasBand() {
        return err != null;
    }

    /** This curve with one more point at its end (the run's final evaluation, say). */
    Series plus(double px, double py, double perr) {
        int n = x.length;
        double[] xs = Arrays.copyOf(x, n + 1);
        double[] ys = Arrays.copyOf(y, n + 1);
        xs[n] = px;
        ys[n] = py;
        double[] es = null;
        if (err != null) {
            es = Arrays.copyOf(err, n + 1);
            es[n] = Double.isFinite(perr) ? Math.abs(perr) : 0;
        }
        return new Series(label, color, xs, ys, es, nonFinite);
    }

    /** The curve of field {@code key} over epochs; {@code errKey} (may be null) gives the band's half-width. */
    static Series of(MetricsLog log, String label, String color, String key, String errKey) {
        return of(log, label, color, key, errKey, false);
    }

    /**
     * As {@link #of(MetricsLog, String, String, String, String)}; with {@code errIsStd} the band is
     * {@code errKey / sqrt(num_samples)}, the standard error of a mean from its standard deviation.
     */
    static Series of(MetricsLog log, String label, String color, String key, String errKey, boolean errIsStd) {
        int n = 0;
        int bad = 0;
        double[] xs = new double[log.size()];
        double[] ys = new double[log.size()];
        double[] es = new double[log.size()];
        for (int i = 0; i < log.size(); i++) {
            if (!log.has(i, key)) {
                continue;
            }
            double y = log.value(i, key);
            if (!Double.isFinite(y)) {
                bad++;
                continue;
            }
            double e = errKey == null ? 0 : log.value(i, errKey);
            if (errIsStd) {
                e /= Math.sqrt(log.value(i, "num_samples"));
            }
            xs[n] = log.epoch(i);
            ys[n] = y;
            es[n] = Double.isFinite(e) ? Math.abs(e) : 0;
            n++;
        }
        return new Series(label, color, Arrays.copyOf(xs, n), Arrays.copyOf(ys, n),
                errKey == null ? null : Arrays.copyOf(es, n), bad);
    }
}
