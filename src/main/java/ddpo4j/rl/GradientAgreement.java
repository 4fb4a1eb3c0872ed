package ddpo4j.rl;

import java.util.List;

/**
 * How much the minibatches of one optimizer step agree on the gradient: the mean cosine between
 * the gradients of every pair of minibatches in a window. Disjoint samples give independent
 * estimates of the same policy gradient, so the cosine is about n s^2 / (1 + n s^2) for n samples
 * per minibatch at per-sample signal-to-noise s, and zero in expectation when the reward says
 * nothing (advantages independent of the actions): the epoch's evidence that a reward's signal
 * rises above the sampling noise, without a training run's worth of evaluation.
 */
final class GradientAgreement {
    private double cosineSum;
    private int pairs;

    /** Adds the pairwise cosines of one window's minibatch gradients (per minibatch, per weight). */
    void add(List<float[][]> minibatchGradients) {
        int m = minibatchGradients.size();
        double[] norms = new double[m];
        for (int p = 0; p < m; p++) {
            norms[p] = Math.sqrt(dot(minibatchGradients.get(p), minibatchGradients.get(p)));
        }
        for (int p = 0; p < m; p++) {
            for (int q = p + 1; q < m; q++) {
                if (norms[p] > 0 && norms[q] > 0) {
                    double c = dot(minibatchGradients.get(p), minibatchGradients.get(q)) / (norms[p] * norms[q]);
                    if (Double.isFinite(c)) {
                        cosineSum += c;
                        pairs++;
                    }
                }
            }
        }
    }

    /** The mean cosine over the pairs added; NaN with none. */
    double mean() {
        return pairs == 0 ? Double.NaN : cosineSum / pairs;
    }

    private static double dot(float[][] a, float[][] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            for (int e = 0; e < a[i].length; e++) {
                s += (double) a[i][e] * b[i][e];
            }
        }
        return s;
    }
}
