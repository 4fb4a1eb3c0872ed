package ddpo4j.eval;

import java.util.Arrays;

/** Mean, sample standard deviation and standard error of a list of rewards. */
public final class Stats {
    private Stats() {}

    public static double mean(double[] x) {
        if (x.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    /** Standard deviation with n − 1 in the denominator; NaN below two values. */
    public static double std(double[] x) {
        if (x.length < 2) {
            return Double.NaN;
        }
        double m = mean(x);
        double s = 0;
        for (double v : x) {
            s += (v - m) * (v - m);
        }
        return Math.sqrt(s / (x.length - 1));
    }

    public static double stderr(double[] x) {
        return std(x) / Math.sqrt(x.length);
    }

    /**
     * The standard error of the mean of {@code x} when its values come in consecutive clusters of
     * {@code clusterSize} (an evaluation's samples of one prompt share it, so they are not
     * independent): the standard error of the cluster means, each over its finite values; NaN
     * values are skipped, a cluster with none drops out. NaN below two clusters.
     */
    public static double clusteredStderr(double[] x, int clusterSize) {
        if (clusterSize < 1 || x.length % clusterSize != 0) {
            throw new IllegalArgumentException(x.length + " values do not split into clusters of " + clusterSize);
        }
        double[] means = new double[x.length / clusterSize];
        int kept = 0;
        for (int c = 0; c < means.length; c++) {
            double sum = 0;
            int n = 0;
            for (int i = c * clusterSize; i < (c + 1) * clusterSize; i++) {
                if (Double.isFinite(x[i])) {
                    sum += x[i];
                    n++;
                }
            }
            if (n > 0) {
                means[kept++] = sum / n;
            }
        }
        return stderr(Arrays.copyOf(means, kept));
    }

    /** JSON has no NaN: undefined statistics are written as null. */
    public static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /** Pearson's r of (x[i], y[i]); NaN below 3 pairs or when either side is constant. */
    public static double pearson(double[] x, double[] y) {
        int n = x.length;
        if (n != y.length) {
            throw new IllegalArgumentException(n + " x values, " + y.length + " y values");
        }
        if (n < 3) {
            return Double.NaN;
        }
        double mx = mean(x);
        double my = mean(y);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
    }
}
