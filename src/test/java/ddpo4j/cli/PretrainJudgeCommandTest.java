package ddpo4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpo4j.models.judge.ShapesJudge;
import ddpo4j.pretrain.JudgeRecipe;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pretrain judge} at a few steps: a loadable folder with a card holding the measured table; no overwrite. */
@Tag("slow")
class PretrainJudgeCommandTest {
    @TempDir
    Path tmp;

    @Test
    void writesAJudgeFolderWithItsCardAndRefusesToOverwriteIt() throws Exception {
        Path out = tmp.resolve("judge");
        String[] args = {"pretrain", "judge", "--out", out.toString(), "--steps", "3", "--batch-size", "4",
            "--checkpoint-every", "2", "--test-images", "8"};
        StringWriter err = new StringWriter();
        assertEquals(0, Main.run(new PrintWriter(err, true), args), err.toString());
        String card = Files.readString(out.resolve("README.md"));
        assertTrue(card.contains("./ddpo4j pretrain judge --out " + out + " --seed 0 --steps 3"), card);
        assertTrue(card.contains("| clean | "), card);
        assertTrue(card.contains("(n = 8)"), card);
        assertFalse(Files.exists(out.resolve(JudgeRecipe.CHECKPOINT)));
        try (ShapesJudge judge = ShapesJudge.load(out)) {
            assertEquals(64, judge.config().imageSize());
        }
        StringWriter again = new StringWriter();
        assertEquals(2, Main.run(new PrintWriter(again, true), args));
        assertTrue(again.toString().contains("already holds a judge"), again.toString());
    }
}
