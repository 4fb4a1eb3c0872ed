package ddpo4j.rewards.judge;

import ddpo4j.models.judge.JudgeAnswers;
import ddpo4j.models.judge.JudgeConfig;
import ddpo4j.rewards.world.CountAlignmentReward.Ask;
import ddpo4j.world.NamedColor;
import ddpo4j.world.ShapeKind;

/**
 * "How many &lt;colour&gt; &lt;kind&gt;s are there?" put to the judge. A question naming both colour and
 * kind is one of its count heads; one leaving the colour (or kind) open adds the counts of every
 * matching head, its distribution the convolution of theirs (the heads taken as independent).
 * The judge's answer is the most probable count; an expected count above the judge's largest
 * class (maxCount, "that many or more") is compared with that class.
 */
public record CountQuestion(Ask ask) {

    /** The judge's distribution over the asked count, index = count. */
    public double[] distribution(JudgeAnswers a) {
        JudgeConfig c = a.config();
        double[] dist = {1};
        for (NamedColor color : c.colors()) {
            for (ShapeKind kind : c.kinds()) {
                if ((ask.color() == null || ask.color() == color) && (ask.kind() == null || ask.kind() == kind)) {
                    dist = convolve(dist, a.countDistribution(color, kind));
                }
            }
        }
        return dist;
    }

    /** The count the judge answers. */
    public int answer(JudgeAnswers a) {
        double[] d = distribution(a);
        int best = 0;
        for (int i = 1; i < d.length; i++) {
            if (d[i] > d[best]) {
                best = i;
            }
        }
        return best;
    }

    /** The class the expected count falls in: capped at maxCount for a single head, which answers "maxCount or more". */
    public int expectedClass(JudgeConfig c) {
        boolean singleHead = ask.color() != null && ask.kind() != null;
        return singleHead ? Math.min(ask.count(), c.maxCount()) : ask.count();
    }

    /** The judge's probability that the count is the expected one. */
    public double probabilityRight(JudgeAnswers a) {
        double[] d = distribution(a);
        int e = expectedClass(a.config());
        return e < d.length ? d[e] : 0;
    }

    /** The question in words, for the reward's info. */
    public String text() {
        return "how many " + (ask.color() == null ? "" : ask.color().word() + " ")
                + (ask.kind() == null ? "shapes" : ask.kind().plural()) + "?";
    }

    private static double[] convolve(double[] x, double[] y) {
        double[] out = new double[x.length + y.length - 1];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < y.length; j++) {
                out[i + j] += x[i] * y[j];
            }
        }
        return out;
    }
}
