package ddpo4j.rewards.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ddpo4j.models.judge.JudgeAnswers;
import ddpo4j.models.judge.JudgeConfig;
import ddpo4j.rewards.world.CountAlignmentReward.Ask;
import ddpo4j.world.NamedColor;
import ddpo4j.world.ShapeKind;
import org.junit.jupiter.api.Test;

/** Count questions against hand-made judge answers. */
class CountQuestionTest {
    static final JudgeConfig C = JudgeConfig.DEFAULT;

    /** Answers that put all mass on count 0 except for the given (pair, distribution) entries. */
    static JudgeAnswers answers(Object... pairAndDist) {
        float[] counts = new float[C.pairs() * C.countClasses()];
        for (int p = 0; p < C.pairs(); p++) {
            counts[p * C.countClasses()] = 1;
        }
        for (int i = 0; i < pairAndDist.length; i += 3) {
            int p = C.pairIndex((NamedColor) pairAndDist[i], (ShapeKind) pairAndDist[i + 1]);
            double[] d = (double[]) pairAndDist[i + 2];
            for (int n = 0; n < C.countClasses(); n++) {
                counts[p * C.countClasses() + n] = n < d.length ? (float) d[n] : 0;
            }
        }
        float[] colors = {0.7f, 0.1f, 0.1f, 0.1f};
        float[] kinds = {0.2f, 0.2f, 0.6f};
        float[] backgrounds = {1, 0, 0, 0, 0, 0, 0};
        return new JudgeAnswers(C, counts, colors, kinds, backgrounds);
    }

    @Test
    void oneHeadAnswersItsMostProbableCountAndGradesByItsProbability() {
        JudgeAnswers a = answers(NamedColor.RED, ShapeKind.CIRCLE, new double[] {0, 0.1, 0.3, 0.6});
        CountQuestion three = new CountQuestion(new Ask(3, NamedColor.RED, ShapeKind.CIRCLE));
        assertEquals(3, three.answer(a));
        assertEquals(0.6, three.probabilityRight(a), 1e-6);
        CountQuestion two = new CountQuestion(new Ask(2, NamedColor.RED, ShapeKind.CIRCLE));
        assertEquals(0.3, two.probabilityRight(a), 1e-6);
        assertEquals("how many red circles?", three.text());
        // the last class means "5 or more": an expected 7 is compared with it
        assertEquals(5, new CountQuestion(new Ask(7, NamedColor.RED, ShapeKind.CIRCLE)).expectedClass(C));
    }

    @Test
    void anOpenKindAddsTheHeadsOfThatColourByConvolution() {
        // red circles: 1 or 2 with 1/2 each; red squares: 0 or 1 with 1/2 each; red triangles: 0
        JudgeAnswers a = answers(NamedColor.RED, ShapeKind.CIRCLE, new double[] {0, 0.5, 0.5},
                NamedColor.RED, ShapeKind.SQUARE, new double[] {0.5, 0.5});
        CountQuestion anyRed = new CountQuestion(new Ask(2, NamedColor.RED, null));
        double[] d = anyRed.distribution(a);
        assertEquals(0.25, d[1], 1e-6);
        assertEquals(0.5, d[2], 1e-6);
        assertEquals(0.25, d[3], 1e-6);
        assertEquals(2, anyRed.answer(a));
        assertEquals(0.5, anyRed.probabilityRight(a), 1e-6);
        assertEquals("how many red shapes?", anyRed.text());
    }
}
