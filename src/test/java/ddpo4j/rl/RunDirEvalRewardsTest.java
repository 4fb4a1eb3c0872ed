package ddpo4j.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpo4j.Ddpo4jException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirEvalRewardsTest {
    @TempDir
    Path tmp;

    @Test
    void readsEverySetInOrderWithFailedRewardsAsNaN() throws IOException {
        Files.writeString(tmp.resolve(RunDir.EVAL_REWARDS), "{\"heldout\":[0.5,NaN,null],\"train\":[1]}");
        Map<String, double[]> r = RunDir.readEvalRewards(tmp);
        assertEquals(List.of("heldout", "train"), List.copyOf(r.keySet()));
        assertArrayEquals(new double[] {0.5, Double.NaN, Double.NaN}, r.get("heldout"));
        assertArrayEquals(new double[] {1}, r.get("train"));
    }

    @Test
    void aMissingTruncatedOrMisshapenFileIsOneErrorNamingIt() throws IOException {
        Ddpo4jException missing = assertThrows(Ddpo4jException.class, () -> RunDir.readEvalRewards(tmp));
        assertTrue(missing.getMessage().contains(RunDir.EVAL_REWARDS), missing.getMessage());
        Files.writeString(tmp.resolve(RunDir.EVAL_REWARDS), "{\"heldout\":[0.5,");
        Ddpo4jException truncated = assertThrows(Ddpo4jException.class, () -> RunDir.readEvalRewards(tmp));
        assertTrue(truncated.getMessage().contains(RunDir.EVAL_REWARDS), truncated.getMessage());
        Files.writeString(tmp.resolve(RunDir.EVAL_REWARDS), "{\"heldout\":0.5}");
        Ddpo4jException notArray = assertThrows(Ddpo4jException.class, () -> RunDir.readEvalRewards(tmp));
        assertTrue(notArray.getMessage().contains("heldout"), notArray.getMessage());
    }
}
