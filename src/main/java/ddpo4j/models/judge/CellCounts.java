package ddpo4j.models.judge;

/**
 * The distribution of a count that is a sum of independent cells, cell {@code i} holding one
 * object with probability {@code p[i]} (a Poisson-binomial distribution), with the mass of
 * {@code max} or more merged into the last class. How the judge turns its centre map into "how
 * many": the answer is the most probable count, and its probability is what graded rewards read.
 */
public final class CellCounts {
    private CellCounts() {}

    /**
     * P(count = n) for n in 0..max (the last entry: n ≥ max), from {@code probs[from .. from + cells - 1]}.
     * Exact dynamic programming, one cell at a time.
     */
    public static float[] distribution(float[] probs, int from, int cells, int max) {
        double[] d = new double[max + 1];
        d[0] = 1;
        for (int i = from; i < from + cells; i++) {
            double p = probs[i];
            // the top class absorbs: "max or more" stays there when the cell holds one more
            d[max] = d[max] + d[max - 1] * p;
            for (int n = max - 1; n >= 1; n--) {
                d[n] = d[n] * (1 - p) + d[n - 1] * p;
            }
            d[0] *= 1 - p;
        }
        float[] out = new float[max + 1];
        for (int n = 0; n <= max; n++) {
            out[n] = (float) d[n];
        }
        return out;
    }
}
