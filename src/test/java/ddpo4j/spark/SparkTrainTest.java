package ddpo4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpo4j.cli.Main;
import ddpo4j.testing.Fixtures;
import ddpo4j.testing.RunFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ddpo4j train --spark local-cluster[2,1,2048]} as a user runs it: the CLI in a child JVM
 * (the driver, with Spark's JVM options, as the launcher starts it), two workers each launching an
 * executor JVM, so the two ranks live in separate JVMs; the tiny SD fixture with LoRA, 2 epochs.
 * Against one process of the same config: the same LoRA, checkpoints and images byte for byte,
 * and the same metrics but timings (and reward call counters, which are rank 0's own).
 */
@Tag("slow")
class SparkTrainTest {
    private static final Pattern RANK_LINE = Pattern.compile(
            "rank (\\d): attempt (\\d+), epochs from (\\d+), (\\d+) all-gathers \\((\\d+) rounds\\).*");
    /** Per-rank counters: rank 0's only in metrics.jsonl, half of one process's. */
    private static final List<String> RANK_ZERO_COUNTERS = List.of("reward_calls", "reward_images");

    @TempDir
    static Path tmp;
    private static Path oneProcess;

    @BeforeAll
    static void trainOneProcess() throws Exception {
        oneProcess = tmp.resolve("one");
        Child one = Child.run(tmp, "one", train(oneProcess));
        assertEquals(0, one.exit(), one.output());
    }

    @Test
    void twoRanksInTwoExecutorsWriteWhatOneProcessWrites() throws Exception {
        Path run = tmp.resolve("two");
        // 256 Ki Base64 characters per round: the sampled batches' exchange takes several rounds
        Child two = Child.run(tmp, "two", spark(run, "--spark-conf", RankTask.CHUNK_SETTING + "=262144"));
        assertEquals(0, two.exit(), two.output());
        List<Matcher> ranks = rankLines(two.output());
        assertEquals(2, ranks.size(), two.output());
        for (Matcher r : ranks) {
            assertEquals("0", r.group(2), "no retry: " + r.group());
            assertEquals(ranks.get(0).group(4), r.group(4), "all-gathers of rank " + r.group(1));
        }
        assertTrue(Long.parseLong(ranks.get(0).group(5)) > Long.parseLong(ranks.get(0).group(4)),
                "some all-gathers took more than one round: " + ranks.get(0).group());
        assertTrue(two.output().contains("every rank received the same bytes"), two.output());
        assertSameRun(oneProcess, run);
        System.out.println("spark, 2 ranks = 1 process, byte for byte:\n" + two.output().lines()
                .filter(l -> l.startsWith("rank ") || l.startsWith("every rank")).reduce((a, b) -> a + "\n" + b)
                .orElse(""));
    }

    @Test
    void aRankKilledMidEpochIsResumedAndTheRunEndsAsOneProcess() throws Exception {
        Path run = tmp.resolve("killed");
        // rank 1's executor halts at its first training step of epoch 1, after checkpoint 0
        Child killed = Child.run(tmp, "killed", spark(run, "--spark-conf", "spark.executorEnv." + FaultInjection.VARIABLE + "=1:1"));
        assertEquals(0, killed.exit(), killed.output());
        assertTrue(killed.output().contains("attempt 0 failed"), killed.output());
        List<Matcher> ranks = rankLines(killed.output());
        assertEquals(2, ranks.size(), killed.output());
        for (Matcher r : ranks) {
            assertEquals("1", r.group(2), "the second attempt finished: " + r.group());
            assertEquals("1", r.group(3), "and resumed at epoch 1: " + r.group());
        }
        assertEquals(List.of(0, 1), RunFiles.metrics(run).stream().map(m -> m.get("epoch")).toList(),
                "each epoch once in metrics.jsonl");
        assertSameRun(oneProcess, run);
    }

    private static List<Matcher> rankLines(String output) {
        List<Matcher> out = new ArrayList<>();
        for (String line : output.split("\n")) {
            Matcher m = RANK_LINE.matcher(line);
            if (m.matches()) {
                out.add(m);
            }
        }
        return out;
    }

    /** Every file byte for byte (the report shows timings), the metrics but timings and rank 0's counters. */
    private static void assertSameRun(Path expected, Path actual) throws IOException {
        Map<String, byte[]> e = RunFiles.files(expected);
        Map<String, byte[]> a = RunFiles.files(actual);
        assertEquals(e.keySet(), a.keySet(), "files");
        for (String f : e.keySet()) {
            if (!f.equals("report.html") && !f.equals("metrics.jsonl")) {
                assertArrayEquals(e.get(f), a.get(f), f);
            }
        }
        List<Map<String, Object>> em = RunFiles.metrics(expected);
        List<Map<String, Object>> am = RunFiles.metrics(actual);
        em.forEach(m -> m.keySet().removeAll(RANK_ZERO_COUNTERS));
        am.forEach(m -> m.keySet().removeAll(RANK_ZERO_COUNTERS));
        assertEquals(2, em.size());
        assertEquals(em, am, "metrics.jsonl");
    }

    private static List<String> spark(Path run, String... more) {
        List<String> a = new ArrayList<>(List.of("--spark", "local-cluster[2,1,2048]", "--spark-conf",
                "spark.ui.enabled=false"));
        a.addAll(List.of(more));
        a.addAll(train(run));
        return a;
    }

    private static List<String> train(Path run) {
        List<String> a = new ArrayList<>(List.of("--run-dir", run.toString()));
        for (String set : List.of("pretrained.model=" + Fixtures.tinySd().toAbsolutePath().normalize(), "num_epochs=2",
                "seed=7", "sample.num_steps=4", "sample.batch_size=2", "sample.num_batches_per_epoch=2",
                "train.batch_size=1", "train.gradient_accumulation_steps=2", "prompt_fn=list",
                "prompt_fn_kwargs.prompts=a cat|a dog", "per_prompt_stat_tracking.min_count=2", "save_freq=1",
                "save_images=4", "train.learning_rate=1e-3")) {
            a.add("--set");
            a.add(set);
        }
        return a;
    }

    /** {@code ddpo4j.cli.Main train ...} in a child JVM on the test class path, run to its end. */
    private record Child(int exit, String output) {
        static Child run(Path tmp, String name, List<String> args) throws Exception {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            cmd.addAll(List.of(JavaModuleOptions.defaultModuleOptionArray())); // as the launcher does for --spark
            cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "train"));
            cmd.addAll(args);
            Path out = tmp.resolve(name + "-stdout.txt");
            Path err = tmp.resolve(name + "-stderr.txt");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().put("OMP_NUM_THREADS", "1");
            pb.environment().put("MKL_CBWR", "AUTO,STRICT");
            pb.environment().put("SPARK_HOME", tmp.resolve("spark-home").toString());
            Process p = pb.start();
            try {
                assertTrue(p.waitFor(10, TimeUnit.MINUTES), name + " still running after 10 minutes");
            } finally {
                p.destroyForcibly(); // a failed assertion must not leave a driver (and its executors) behind
            }
            String text = Files.readString(out) + "\n--- stderr ---\n" + Files.readString(err);
            return new Child(p.exitValue(), text);
        }
    }
}
