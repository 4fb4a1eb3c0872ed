package ddpo4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpo4j.Ddpo4jException;
import ddpo4j.pretrain.CaptionedImages;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import ddpo4j.world.WorldConfig;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input ends a command with exit 2 and one line; any other exception is a bug: exit 1 and a stack trace. */
class ExitCodeTest {
    @TempDir
    Path tmp;

    /** Runs {@code pretrain} with a data source that throws {@code e}; returns stderr, asserting the exit code. */
    private String pretrainThrowing(RuntimeException e, int expectedCode) {
        Function<WorldConfig, CaptionedImages> saved = PretrainCommand.data;
        PretrainCommand.data = world -> {
            throw e;
        };
        try {
            StringWriter err = new StringWriter();
            int code = Main.run(new PrintWriter(err, true), "pretrain", "--recipe", "v1", "--out", tmp.resolve("model").toString());
            assertEquals(expectedCode, code, "exit code; stderr: " + err);
            return err.toString().strip();
        } finally {
            PretrainCommand.data = saved;
        }
    }

    @Test
    void badInputIsOneLineAndExit2() {
        String err = pretrainThrowing(new Ddpo4jException("no images in data/"), 2);
        assertEquals("error: no images in data/", err);
    }

    @Test
    void anyOtherExceptionIsABugWithAStackTraceAndExit1() {
        String err = pretrainThrowing(new IllegalArgumentException("index 3 out of range"), 1);
        assertTrue(err.startsWith("java.lang.IllegalArgumentException: index 3 out of range"), err);
        assertTrue(err.contains("\tat ddpo4j.cli.ExitCodeTest"), err);
        assertTrue(err.lines().reduce((a, b) -> b).orElse("").contains("please report it"), err);
    }

    @Test
    void pretrainDoesNotOverwriteAModelWithoutItsCheckpoints() throws Exception {
        Path model = tmp.resolve("done");
        Files.createDirectories(model);
        Files.writeString(model.resolve("model_index.json"), "{}");
        Files.createDirectories(tmp.resolve("empty-ckpt"));
        StringWriter err = new StringWriter();
        assertEquals(2, Main.run(new PrintWriter(err, true), "pretrain", "--recipe", "v1", "--out", model.toString(), "--checkpoint-dir",
                tmp.resolve("empty-ckpt").toString()), "stderr: " + err);
        assertTrue(err.toString().contains("already holds a model"), err.toString());
    }

    @Test
    void pretrainOptionsThatCannotWorkAreOneLineErrors() {
        String[][] cases = {
            {"--recipe", "v9"},
            {"--recipe", "v1", "--checkpoint-dir", tmp.resolve("ckpt").toString(), "--checkpoint-every", "0"},
        };
        String[] expected = {"error: unknown recipe \"v9\"; known: [v1, v2, v3, v4, v5, v6, v7]",
            "error: --checkpoint-every must be >= 1 and --snapshot-every >= 0, got 0 and 0"};
        for (int i = 0; i < cases.length; i++) {
            StringWriter err = new StringWriter();
            String[] args = new String[cases[i].length + 3];
            args[0] = "pretrain";
            args[1] = "--out";
            args[2] = tmp.resolve("m" + i).toString();
            System.arraycopy(cases[i], 0, args, 3, cases[i].length);
            assertEquals(2, Main.run(new PrintWriter(err, true), args), "stderr: " + err);
            assertEquals(expected[i], err.toString().strip());
        }
    }
}
