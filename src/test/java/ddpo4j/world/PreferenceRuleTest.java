package ddpo4j.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PreferenceRuleTest {
    private static final int S = 64;

    /** A uniform background with a filled square of {@code side} pixels at (x, y). */
    private static float[] square(float[] bg, float[] fg, int x, int y, int side) {
        float[] img = new float[3 * S * S];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < S * S; i++) {
                int px = i % S;
                int py = i / S;
                boolean in = px >= x && px < x + side && py >= y && py < y + side;
                img[c * S * S + i] = in ? fg[c] : bg[c];
            }
        }
        return img;
    }

    private static final float[] BLACK = {0, 0, 0};
    private static final float[] WHITE = {1, 1, 1};
    private static final float[] YELLOW = {1, 1, 0};

    @Test
    void contrastAndPresenceAreAsDocumented() {
        PreferenceRule.Score s = PreferenceRule.score(square(BLACK, YELLOW, 10, 10, 16), S, S);
        assertEquals(0.299 + 0.587, s.contrast(), 1e-6, "yellow on black");
        assertEquals(256.0 / 4096 / 0.3, s.presence(), 1e-9);
        assertEquals(10 * (0.6 * s.contrast() + 0.4 * s.presence()), s.value(), 1e-9);
        PreferenceRule.Score faint = PreferenceRule.score(square(WHITE, YELLOW, 10, 10, 16), S, S);
        assertEquals(0.114, faint.contrast(), 1e-6, "yellow on white");
        assertTrue(faint.value() < s.value());
        // a frame-filling shape saturates presence; the border still shows the background
        assertEquals(1.0, PreferenceRule.score(square(BLACK, YELLOW, 1, 1, 62), S, S).presence(), 1e-12);
    }

    @Test
    void anEmptyOrUniformImageScoresZeroAndAWrongSizeIsAnError() {
        assertEquals(0, PreferenceRule.score(square(BLACK, BLACK, 0, 0, 10), S, S).value());
        float[] noisy = square(WHITE, WHITE, 0, 0, 0);
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] -= (float) (0.2 * r.nextDouble()); // below the foreground threshold
        }
        assertEquals(0, PreferenceRule.score(noisy, S, S).value());
        assertThrows(IllegalArgumentException.class, () -> PreferenceRule.score(new float[10], S, S));
    }

    @Test
    void theBackgroundIsTheBordersMedianSoAShapeCutByTheBorderDoesNotMoveIt() {
        // the square covers part of the top border: the median is still black
        PreferenceRule.Score s = PreferenceRule.score(square(BLACK, YELLOW, 20, 0, 16), S, S);
        assertEquals(0.886, s.contrast(), 1e-6);
    }
}
