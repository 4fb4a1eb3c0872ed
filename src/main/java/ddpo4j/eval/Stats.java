package ddpo4j.eval;

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

    /** JSON has no NaN: undefined statistics are written as null. */
    public static Double finiteOrNull(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
