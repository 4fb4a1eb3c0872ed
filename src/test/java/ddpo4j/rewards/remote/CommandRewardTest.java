package ddpo4j.rewards.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpo4j.rewards.RewardBatch;
import ddpo4j.rewards.RewardException;
import ddpo4j.rewards.RewardOptions;
import ddpo4j.rewards.RewardResult;
import ddpo4j.rewards.RewardSpec;
import ddpo4j.rewards.ScoredBatch;
import ddpo4j.rewards.TestBatches;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code command} reward with a real child process (a Java main from the test class path, no Python). */
class CommandRewardTest {
    @TempDir
    Path tmp;

    final List<String> stderr = new CopyOnWriteArrayList<>();

    /** The command line that runs {@link RewardChild} in a fresh JVM. */
    static String childCommand() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return java + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -cp '"
                + System.getProperty("java.class.path") + "' " + RewardChild.class.getName();
    }

    CommandReward command(String options) {
        String spec = "command:cmd=\"" + childCommand() + "\"" + (options.isEmpty() ? "" : "," + options);
        return new CommandReward(RewardOptions.of(RewardSpec.parse(spec)), stderr::add);
    }

    static RewardBatch prompts(String first, double... brightness) {
        List<String> p = new java.util.ArrayList<>();
        for (int i = 0; i < brightness.length; i++) {
            p.add(i == 0 ? first : "x");
        }
        return TestBatches.withPrompts(p, brightness);
    }

    static String failure(CommandReward r, RewardBatch b) {
        CompletionException e = assertThrows(CompletionException.class, () -> r.score(b).join());
        assertTrue(e.getCause() instanceof RewardException, e.toString());
        return e.getCause().getMessage();
    }

    @Test
    void childScoresPixelsAndItsStderrReachesTheLog() throws Exception {
        try (CommandReward r = command("")) {
            RewardResult res = r.score(TestBatches.ofBrightness(0, 0.5, 1)).join();
            assertArrayEquals(new double[] {0, 128 / 255.0, 1}, res.scores(), 1e-12);
            assertEquals("p2", res.info().get(2).get("prompt"));
            assertEquals(0.2, r.score(TestBatches.ofBrightness(0.2)).join().scores()[0], 1 / 255.0);
            assertEquals(1, r.starts(), "one long-lived child");
        }
        assertTrue(stderr.contains("child ready") && stderr.contains("scored 3 images"), stderr.toString());
    }

    @Test
    void slowChildIsKilledAtTheTimeoutAndRestarted() throws Exception {
        try (CommandReward r = command("timeout=3,retries=0")) {
            long t0 = System.nanoTime();
            String m = failure(r, prompts("sleep", 0.3, 0.3));
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(seconds < 9, "returned after " + seconds + " s, timeout 3 s");
            assertTrue(m.contains("reward 'command' (") && m.contains("samples 0-1: no answer within 3.0 s"), m);
            assertEquals(0.6, r.score(prompts("ok", 0.6)).join().scores()[0], 1 / 255.0);
            assertEquals(2, r.starts());
        }
    }

    @Test
    void childThatExitsMidStreamIsRestartedAndTheRequestRetried() throws Exception {
        Path marker = tmp.resolve("exited");
        try (CommandReward r = command("retries=1")) {
            assertEquals(2, r.score(prompts("ok", 0.2, 0.4)).join().scores().length);
            double[] got = r.score(prompts("exit-once:" + marker, 0.4, 1.0)).join().scores();
            assertEquals(1.0, got[1], 1e-12);
            assertEquals(2, r.starts());
        }
    }

    @Test
    void childThatKeepsDyingFailsAfterItsRetries() {
        try (CommandReward r = new CommandReward(RewardOptions.of(RewardSpec.parse(
                "command:cmd=sh -c 'read line; echo dying >&2; exit 7',retries=1")), stderr::add)) {
            String m = failure(r, TestBatches.ofBrightness(0.5));
            assertTrue(m.contains("the child exited with code 7 before answering (after 2 attempts)"), m);
            assertEquals(2, r.starts());
        }
        assertTrue(stderr.contains("dying"), stderr.toString());
    }

    @Test
    void garbageLineFailsAndTheNextAnswerIsNotTheStaleOne() throws Exception {
        try (CommandReward r = command("")) {
            String m = failure(r, prompts("garbage", 0.2, 0.2));
            assertTrue(m.contains("samples 0-1: answer is not JSON: Traceback"), m);
            // the child also printed the real answer (0.2) after its garbage: a fresh child answers this one
            assertEquals(0.9, r.score(prompts("ok", 0.9)).join().scores()[0], 1 / 255.0);
            assertEquals(2, r.starts());
        }
    }

    @Test
    void wrongCountAndNonFiniteScoresAreErrorsNamingTheSample() throws Exception {
        try (CommandReward r = command("")) {
            assertTrue(failure(r, prompts("wrong-count", 0.1, 0.2)).contains("answered 1 scores for 2 samples"));
            ScoredBatch nan = r.scoreSamples(prompts("nan", 0.1, 0.2)).join();
            assertTrue(nan.ok(0));
            assertTrue(nan.error(1).getMessage().contains("sample 1: score is NaN"), nan.error(1).getMessage());
        }
    }

    @Test
    void splitsBigBatchesIntoSeveralLines() throws Exception {
        try (CommandReward r = command("batch_size=2")) {
            double[] got = r.score(TestBatches.ofBrightness(0, 0.2, 0.4, 0.6, 0.8)).join().scores();
            assertEquals(0.8, got[4], 1 / 255.0);
        }
        assertEquals(3, stderr.stream().filter(l -> l.startsWith("scored")).count(), stderr.toString());
    }

    @Test
    void commandThatCannotStartFailsAtSetup() {
        RewardException e = assertThrows(RewardException.class, () -> new CommandReward(
                RewardOptions.of(RewardSpec.parse("command:cmd=/no/such/program --flag"))));
        assertTrue(e.getMessage().contains("reward 'command': cannot start '/no/such/program --flag'"), e.getMessage());
    }

    @Test
    void closeEndsTheChild() {
        CommandReward r = new CommandReward(RewardOptions.of(RewardSpec.parse("command:cmd=sleep 600")), stderr::add);
        ProcessHandle child = ProcessHandle.current().children().filter(p -> p.info().command()
                .map(c -> c.endsWith("sleep")).orElse(false)).findFirst().orElseThrow();
        r.close();
        assertFalse(child.isAlive());
    }
}
