package ddpo4j.models.judge;

import ddpo4j.world.NamedColor;
import ddpo4j.world.ShapeKind;
import java.util.Arrays;

/**
 * The judge's answers about one image, as probabilities (softmax of its logits): for each
 * (colour, kind) the distribution over counts 0..maxCount, and the distributions over the shapes'
 * colour, their kind and the background. Answers are the most probable classes; rewards that want
 * partial credit read the probabilities.
 */
public final class JudgeAnswers {
    private final JudgeConfig config;
    private final double[] countProbs; // (pairs, maxCount + 1)
    private final double[] colorProbs;
    private final double[] kindProbs;
    private final double[] backgroundProbs;

    public JudgeAnswers(JudgeConfig config, float[] countProbs, float[] colorProbs, float[] kindProbs,
            float[] backgroundProbs) {
        if (countProbs.length != config.pairs() * config.countClasses() || colorProbs.length != config.colors().size()
                || kindProbs.length != config.kinds().size() || backgroundProbs.length != config.backgrounds().size()) {
            throw new IllegalArgumentException("answer sizes do not match the judge's config");
        }
        this.config = config;
        this.countProbs = widen(countProbs);
        this.colorProbs = widen(colorProbs);
        this.kindProbs = widen(kindProbs);
        this.backgroundProbs = widen(backgroundProbs);
    }

    public JudgeConfig config() {
        return config;
    }

    /** P(count of {@code color} {@code kind} = n), n in 0..maxCount (maxCount meaning "that many or more"). */
    public double countProbability(NamedColor color, ShapeKind kind, int n) {
        int p = pair(color, kind);
        return n < 0 || n > config.maxCount() ? 0 : countProbs[p * config.countClasses() + n];
    }

    /** The distribution over counts 0..maxCount of {@code color} {@code kind}. */
    public double[] countDistribution(NamedColor color, ShapeKind kind) {
        int from = pair(color, kind) * config.countClasses();
        return Arrays.copyOfRange(countProbs, from, from + config.countClasses());
    }

    /** The judge's answer to "how many {@code color} {@code kind}s are there?" (ties: the smaller count). */
    public int count(NamedColor color, ShapeKind kind) {
        return argmax(countDistribution(color, kind));
    }

    /** The judge's answer to "what colour are the shapes?" (the colour most of them have). */
    public NamedColor color() {
        return config.colors().get(argmax(colorProbs));
    }

    public double colorProbability(NamedColor color) {
        int i = config.colors().indexOf(color);
        return i < 0 ? 0 : colorProbs[i];
    }

    /** The judge's answer to "what shape are they?" (the kind most of them are). */
    public ShapeKind kind() {
        return config.kinds().get(argmax(kindProbs));
    }

    public double kindProbability(ShapeKind kind) {
        int i = config.kinds().indexOf(kind);
        return i < 0 ? 0 : kindProbs[i];
    }

    /** The judge's answer to "what colour is the background?". */
    public NamedColor background() {
        return config.backgrounds().get(argmax(backgroundProbs));
    }

    private int pair(NamedColor color, ShapeKind kind) {
        int p = config.pairIndex(color, kind);
        if (p < 0) {
            throw new IllegalArgumentException("the judge knows no " + color.word() + " " + kind.plural());
        }
        return p;
    }

    private static int argmax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    private static double[] widen(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
