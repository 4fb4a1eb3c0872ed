package ddpo4j.pretrain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpo4j.models.judge.JudgeConfig;
import ddpo4j.models.judge.ShapesJudge;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The judge's recipe at toy size: a folder that loads, the same bytes run after run, interrupted and resumed or not. */
class JudgeRecipeTest {
    private static final JudgeConfig TINY = new JudgeConfig(64, 8, new int[] {8}, 4, 16, JudgeConfig.DEFAULT.colors(),
            JudgeConfig.DEFAULT.kinds(), JudgeConfig.DEFAULT.backgrounds(), 5);
    private static final JudgeTraining.Settings SETTINGS = new JudgeTraining.Settings(8, 4, 1e-3, 1e-4, 3, 7);

    @TempDir
    Path tmp;

    private static final class Crash extends RuntimeException {}

    @Test
    void aResumedRunWritesTheSameWeightsAsAnUninterruptedOne() throws Exception {
        Path straight = tmp.resolve("straight");
        JudgeRecipe.pretrain(TINY, SETTINGS, straight, Map.of("ddpo4j.seed", "7"), null);
        Path again = tmp.resolve("again");
        JudgeRecipe.pretrain(TINY, SETTINGS, again, Map.of("ddpo4j.seed", "7"), null);
        byte[] weights = Files.readAllBytes(straight.resolve(ShapesJudge.WEIGHTS));
        assertArrayEquals(weights, Files.readAllBytes(again.resolve(ShapesJudge.WEIGHTS)), "same seed, same bytes");

        // crash after step 5 (checkpoint at step 3 written), resume on the same folder: steps 4..8 again
        Path resumed = tmp.resolve("resumed");
        assertThrows(Crash.class, () -> JudgeRecipe.pretrain(TINY, SETTINGS, resumed, Map.of("ddpo4j.seed", "7"),
                (phase, step, total, loss) -> {
                    if (step == 5) {
                        throw new Crash();
                    }
                }));
        assertTrue(Files.isRegularFile(resumed.resolve(JudgeRecipe.CHECKPOINT)));
        int[] firstStep = {-1};
        JudgeRecipe.pretrain(TINY, SETTINGS, resumed, Map.of("ddpo4j.seed", "7"), (phase, step, total, loss) -> {
            if (firstStep[0] < 0) {
                firstStep[0] = step;
            }
        });
        assertEquals(4, firstStep[0], "resumed after the step-3 checkpoint");
        assertArrayEquals(weights, Files.readAllBytes(resumed.resolve(ShapesJudge.WEIGHTS)));
        assertFalse(Files.exists(resumed.resolve(JudgeRecipe.CHECKPOINT)), "the finished run's checkpoint is removed");

        try (ShapesJudge judge = ShapesJudge.load(straight)) {
            assertEquals(16, judge.config().embeddingDim(), "config.json read back");
            assertArrayEquals(new int[] {8}, judge.config().blockOutChannels());
            List<JudgeAccuracy.Row> rows = JudgeRecipe.evaluate(straight, 7, 8);
            assertEquals(JudgeRecipe.testConditions(TINY).size(), rows.size());
            rows.forEach(r -> assertEquals(8, r.background().n()));
        }
    }
}
