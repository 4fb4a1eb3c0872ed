package ddpo4j.report;

/**
 * "Nice" axis ticks (steps of 1, 2, 2.5 or 5 × 10^k) covering a data range, and their labels.
 * When the range is tiny next to its magnitude (a ratio that stays within 1e-6 of 1), labels are
 * written as offset ± delta ({@code 1−5e-7}, {@code 1}, {@code 1+5e-7}) instead of eight-digit decimals.
 */
final class AxisTicks {
    final double lo;
    final double hi;
    final double step;
    private final double mantissa;
    private final double offset;
    private final boolean offsetMode;

    private AxisTicks(double lo, double hi, double step, double mantissa) {
        this.lo = lo;
        this.hi = hi;
        this.step = step;
        this.mantissa = mantissa;
        double maxAbs = Math.max(Math.abs(lo), Math.abs(hi));
        this.offsetMode = maxAbs / step > 1e4;
        double unit = step * 1000;
        this.offset = offsetMode ? Math.round((lo + hi) / 2 / unit) * unit : 0;
    }

    /** Ticks for data in [min, max] with about {@code target} intervals; a point range is padded. */
    static AxisTicks of(double min, double max, int target) {
        if (!Double.isFinite(min) || !Double.isFinite(max)) {
            min = 0;
            max = 1;
        }
        if (max - min <= Math.max(Math.abs(min), Math.abs(max)) * 1e-12) {
            double pad = min == 0 ? 1 : Math.abs(min) * 0.05;
            min -= pad;
            max += pad;
        }
        double[] nice = niceStep((max - min) / Math.max(1, target), false);
        double step = nice[0];
        return new AxisTicks(Math.floor(min / step) * step, Math.ceil(max / step) * step, step, nice[1]);
    }

    /** Integer ticks (epochs) for [min, max]; a single value gets half an epoch of room on both sides. */
    static AxisTicks integers(double min, double max, int target) {
        if (!Double.isFinite(min) || !Double.isFinite(max)) {
            min = 0;
            max = 0;
        }
        if (!(max > min)) {
            min -= 0.5;
            max += 0.5;
        }
        double[] nice = niceStep((max - min) / Math.max(1, target), true);
        double step = Math.max(1, nice[0]);
        return new AxisTicks(min, max, step, step == 1 ? 1 : nice[1]);
    }

    /** {step, mantissa}: the smallest of 1, 2, 2.5 (not for integers), 5, 10 × 10^k at least {@code raw}. */
    private static double[] niceStep(double raw, boolean integer) {
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double n = raw / mag;
        double m;
        if (n <= 1) {
            m = 1;
        } else if (n <= 2) {
            m = 2;
        } else if (n <= 2.5 && !integer) {
            m = 2.5;
        } else if (n <= 5) {
            m = 5;
        } else {
            m = 10;
        }
        return new double[] {m * mag, m == 10 ? 1 : m};
    }

    /** The tick values inside [lo, hi], computed as k·step (no accumulated rounding). */
    double[] values() {
        long first = (long) Math.ceil(lo / step - 1e-9);
        long last = (long) Math.floor(hi / step + 1e-9);
        double[] out = new double[(int) Math.max(0, last - first + 1)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (first + i) * step;
        }
        return out;
    }

    /** A tick's label. */
    String label(double v) {
        if (offsetMode) {
            double d = v - offset;
            String base = plain(offset, step * 1000);
            if (Math.abs(d) < step * 1e-6) {
                return base;
            }
            return base + (d > 0 ? "+" : "\u2212") + Html.sci(Math.abs(d), 3);
        }
        double maxAbs = Math.max(Math.abs(lo), Math.abs(hi));
        if (step >= 1e-4 && maxAbs < 1e6) {
            return plain(v, step);
        }
        return Math.abs(v) < step * 1e-6 ? "0" : Html.sci(v, 3);
    }

    private String plain(double v, double resolution) {
        int decimals = (int) Math.max(0, -Math.floor(Math.log10(resolution)) + (mantissa == 2.5 ? 1 : 0));
        String s = Html.fixed(v, decimals);
        if (s.contains(".")) {
            s = s.replaceAll("\\.?0+$", "");
        }
        return s.equals("-0") ? "0" : s;
    }
}
