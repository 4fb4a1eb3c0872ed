package ddpo4j.pretrain;

import ddpo4j.models.judge.JudgeAnswers;
import ddpo4j.models.judge.JudgeConfig;
import ddpo4j.models.judge.ShapesJudge;
import ddpo4j.world.NamedColor;
import ddpo4j.world.PlacedShape;
import ddpo4j.world.Scene;
import ddpo4j.world.ShapeGroup;
import ddpo4j.world.ShapeKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The judge's accuracy on generated test images (a stream it never trained on), per question:
 *
 * <ul>
 *   <li><b>count</b>: "how many &lt;colour&gt; &lt;kind&gt;s?" for the scene's first group (the question a
 *       counting prompt asks); <b>all pairs</b>: all 12 colour × kind counts right, zeros included;
 *   <li><b>colour</b> / <b>kind</b>: the colour (kind) most shapes have, on images where one colour
 *       (kind) is the most common; <b>background</b>;
 *   <li><b>all questions</b>: count, colour and kind all right, on images where all three are asked.
 * </ul>
 */
public final class JudgeAccuracy {
    /** k right of n, with the binomial standard error. */
    public record Tally(int right, int n) {
        public double mean() {
            return n == 0 ? Double.NaN : right / (double) n;
        }

        public double stderr() {
            double p = mean();
            return n == 0 ? Double.NaN : Math.sqrt(p * (1 - p) / n);
        }

        Tally add(boolean ok) {
            return new Tally(right + (ok ? 1 : 0), n + 1);
        }

        @Override
        public String toString() {
            return String.format("%.3f ± %.3f (n = %d)", mean(), stderr(), n);
        }
    }

    /** One row of the accuracy table. */
    public record Row(String images, Tally count, Tally allPairs, Tally color, Tally kind, Tally background,
            Tally allQuestions) {}

    private static final int CHUNK = 64;

    private JudgeAccuracy() {}

    /** Accuracy on {@code examples} {@code 0 .. n-1} of {@code seed}. */
    public static Row measure(String name, ShapesJudge judge, JudgeExamples examples, long seed, int n) {
        JudgeConfig c = judge.config();
        Tally count = new Tally(0, 0);
        Tally allPairs = new Tally(0, 0);
        Tally color = new Tally(0, 0);
        Tally kind = new Tally(0, 0);
        Tally background = new Tally(0, 0);
        Tally all = new Tally(0, 0);
        int size = c.imageSize();
        for (int from = 0; from < n; from += CHUNK) {
            List<JudgeExamples.Example> batch = new ArrayList<>();
            for (int i = from; i < Math.min(n, from + CHUNK); i++) {
                batch.add(examples.example(seed, i));
            }
            List<JudgeAnswers> answers = judge.answer(batch.stream().map(JudgeExamples.Example::image).toList(), size, size);
            for (int i = 0; i < batch.size(); i++) {
                JudgeExamples.Example e = batch.get(i);
                JudgeAnswers a = answers.get(i);
                background = background.add(a.background() == e.background());
                int[] truth = examples.counts(e.scene());
                boolean pairsOk = true;
                for (NamedColor col : c.colors()) {
                    for (ShapeKind k : c.kinds()) {
                        pairsOk &= a.count(col, k) == truth[c.pairIndex(col, k)];
                    }
                }
                allPairs = allPairs.add(pairsOk);
                if (e.scene() == null) {
                    continue;
                }
                ShapeGroup asked = e.scene().spec().groups().get(0);
                boolean countOk = a.count(asked.color(), asked.kind()) == Math.min(c.maxCount(), asked.count());
                count = count.add(countOk);
                NamedColor topColor = mostCommonColor(e.scene());
                ShapeKind topKind = mostCommonKind(e.scene());
                if (topColor != null) {
                    color = color.add(a.color() == topColor);
                }
                if (topKind != null) {
                    kind = kind.add(a.kind() == topKind);
                }
                if (topColor != null && topKind != null) {
                    all = all.add(countOk && a.color() == topColor && a.kind() == topKind);
                }
            }
        }
        return new Row(name, count, allPairs, color, kind, background, all);
    }

    /** The colour most shapes have, or null on a tie. */
    static NamedColor mostCommonColor(Scene scene) {
        return mostCommon(scene, NamedColor.values(), PlacedShape::color);
    }

    /** The kind most shapes are, or null on a tie. */
    static ShapeKind mostCommonKind(Scene scene) {
        return mostCommon(scene, ShapeKind.values(), PlacedShape::kind);
    }

    private static <E extends Enum<E>> E mostCommon(Scene scene, E[] values, Function<PlacedShape, E> attribute) {
        int[] tally = new int[values.length];
        for (PlacedShape s : scene.shapes()) {
            tally[attribute.apply(s).ordinal()]++;
        }
        int best = unique(tally);
        return best < 0 ? null : values[best];
    }

    /** Index of the unique maximum, or -1 when it is shared. */
    private static int unique(int[] tally) {
        int max = Arrays.stream(tally).max().orElse(0);
        int at = -1;
        for (int i = 0; i < tally.length; i++) {
            if (tally[i] == max) {
                if (at >= 0) {
                    return -1;
                }
                at = i;
            }
        }
        return at;
    }
}
