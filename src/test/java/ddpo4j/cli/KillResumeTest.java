package ddpo4j.cli;

import static ddpo4j.testing.RunFiles.files;
import static ddpo4j.testing.RunFiles.metrics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import ddpo4j.io.SafetensorsReader;
import ddpo4j.testing.Fixtures;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of {@code ddpo4j train}: the real CLI in a child JVM is killed with SIGKILL at
 * seeded random moments in every phase (sampling, waiting for the reward, training, in the middle
 * of writing a checkpoint, right after the final checkpoint, and anywhere), resumed with
 * {@code --resume} each time, and must end exactly as an uninterrupted run: the same metrics.jsonl
 * (timings aside), bitwise the same LoRA, checkpoints and sample images, and no truncated,
 * unparsable or leftover temporary file in the run dir.
 */
@Tag("slow")
class KillResumeTest {
    private static final int EPOCHS = 4;
    private static final Duration PHASE_TIMEOUT = Duration.ofSeconds(120);

    /** Where a kill landed, judged from what the child printed and left behind. */
    enum Phase { SAMPLING, REWARD_WAIT, TRAINING, CHECKPOINT_WRITE, AFTER_FINAL_CHECKPOINT, ELSEWHERE }

    @TempDir
    Path tmp;

    /** Every child started, so that none outlives a failed test. */
    private final List<Child> children = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        for (Child c : children) {
            c.process.destroyForcibly();
        }
    }

    private Child start(List<String> args) throws IOException {
        Child c = Child.start(tmp, args);
        children.add(c);
        return c;
    }

    @Test
    void killedAndResumedRunEqualsAnUninterruptedOne() throws Exception {
        Path model = Fixtures.tinySd().toAbsolutePath();
        Path straight = tmp.resolve("straight");
        Path killed = tmp.resolve("killed");
        // the reference runs alongside the kills: it also shows that concurrent runs agree bit for bit
        Child reference = start(args(model, straight, false));
        Random random = new Random(20261126);
        List<String> log = new ArrayList<>();
        EnumSet<Phase> landed = EnumSet.noneOf(Phase.class);

        // 1. fresh run, killed while checkpoint 0 is being written (metrics line 0 is already there)
        Child c = start(args(model, killed, false));
        landed.add(record(log, "checkpoint 0", killWhileCheckpointing(c, killed)));
        // 2. resumed (from nothing), epoch 0 completes; killed while sampling epoch 1's second batch
        landed.add(record(log, "sampling", killAfterCue(start(args(model, killed, true)), random,
                "reward-start 2", 150, l -> l.equals("reward-start 3"), Phase.SAMPLING)));
        // 3.-4. resumed from checkpoint 0, killed while waiting for epoch 1's reward, while training
        landed.add(record(log, "reward wait", killAfterCue(start(args(model, killed, true)), random,
                "reward-start 1", 300, l -> l.equals("reward-done 1"), Phase.REWARD_WAIT)));
        landed.add(record(log, "training", killAfterCue(start(args(model, killed, true)), random,
                "reward-done 1", 500, l -> l.startsWith("epoch "), Phase.TRAINING)));
        // 5. the next checkpoint write (epoch 1), 6. anywhere (start-up, model loading, any phase)
        c = start(args(model, killed, true));
        landed.add(record(log, "checkpoint", killWhileCheckpointing(c, killed)));
        c = start(args(model, killed, true));
        c.sleep(random.nextInt(8000));
        landed.add(record(log, "random moment", c.kill(l -> null, Phase.ELSEWHERE)));
        log.set(log.size() - 1, log.get(log.size() - 1) + " (last line: " + c.lastLine() + ")");
        // 7. right after the final checkpoint appears: the LoRA and report may not be written yet
        c = start(args(model, killed, true));
        Path last = killed.resolve(String.format("checkpoints/epoch_%06d", EPOCHS - 1));
        c.await(l -> l.startsWith("epoch " + EPOCHS + "/"));
        c.spinUntil(() -> Files.isDirectory(last));
        landed.add(record(log, "final checkpoint", c.kill(l -> null, Phase.AFTER_FINAL_CHECKPOINT)));
        log.set(log.size() - 1, log.get(log.size() - 1) + " (LoRA left at epoch " + loraEpoch(killed) + ")");
        // 8. resumed to the end
        c = start(args(model, killed, true));
        assertEquals(0, c.finish(), c.output());
        assertEquals(0, reference.finish(), reference.output());
        System.out.println("kills: " + String.join("; ", log));

        assertTrue(landed.containsAll(EnumSet.of(Phase.SAMPLING, Phase.REWARD_WAIT, Phase.TRAINING,
                Phase.CHECKPOINT_WRITE)), "kills landed in " + landed + ": " + log);
        assertRunDirIsWhole(killed);
        assertSameRun(straight, killed);
    }

    private static Phase record(List<String> log, String aim, Phase phase) {
        log.add(aim + " -> " + phase);
        return phase;
    }

    /**
     * Waits for the line {@code cue}, sleeps a random time below {@code maxDelayMs} and kills. The
     * kill landed in {@code aim} unless the child printed a line {@code tooLate} before it died.
     */
    private static Phase killAfterCue(Child c, Random random, String cue, int maxDelayMs, Predicate<String> tooLate,
            Phase aim) throws InterruptedException {
        c.await(l -> l.equals(cue));
        c.sleep(random.nextInt(maxDelayMs));
        return c.kill(l -> tooLate.test(l) ? Phase.ELSEWHERE : null, aim);
    }

    /**
     * Waits for an epoch's summary line (the checkpoint is written right after it), then for its
     * hidden temp folder, and kills at once: the write is then mid-way, which the leftover folder proves.
     */
    private static Phase killWhileCheckpointing(Child c, Path run) throws Exception {
        String line = c.await(l -> l.startsWith("epoch ") && l.contains("/" + EPOCHS + " "));
        int epoch = Integer.parseInt(line.substring(6, line.indexOf('/'))) - 1;
        Path tmpDir = run.resolve(String.format("checkpoints/.epoch_%06d.tmp", epoch));
        c.spinUntil(() -> Files.isDirectory(tmpDir));
        Phase p = c.kill(l -> null, Phase.CHECKPOINT_WRITE);
        return Files.isDirectory(tmpDir) ? p : Phase.ELSEWHERE;
    }

    private static List<String> args(Path model, Path run, boolean resume) {
        List<String> a = new ArrayList<>(List.of("train", resume ? "--resume" : "--run-dir", run.toString()));
        if (!resume) {
            for (String set : List.of("pretrained.model=" + model, "reward_fn=java:class=" + SlowReward.class.getName()
                    + ",delay_ms=700", "num_epochs=" + EPOCHS, "save_freq=1", "num_checkpoint_limit=2", "seed=11",
                    "sample.num_steps=3", "sample.batch_size=2", "sample.num_batches_per_epoch=2", "train.batch_size=2",
                    "prompt_fn=list", "prompt_fn_kwargs.prompts=a cat|a dog", "per_prompt_stat_tracking.min_count=2",
                    "save_images=2")) {
                a.add("--set");
                a.add(set);
            }
        }
        return a;
    }

    /** The epoch in the LoRA file's metadata (the resume must bring a stale one up to the checkpoint's). */
    private static String loraEpoch(Path run) {
        Path f = run.resolve("lora/pytorch_lora_weights.safetensors");
        if (!Files.exists(f)) {
            return "none";
        }
        try (SafetensorsReader r = SafetensorsReader.open(f)) {
            return r.metadata().get("ddpo4j.epoch");
        }
    }

    /** Every file parses: JSON, JSON lines, YAML, safetensors (every tensor read), PNG, HTML; no temp file is left. */
    private static void assertRunDirIsWhole(Path run) throws IOException {
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> walk = Files.walk(run); NDManager m = NDManager.newBaseManager()) {
            for (Path f : walk.filter(p -> !p.equals(run)).toList()) {
                String name = f.getFileName().toString();
                assertFalse(name.startsWith("."), "leftover temporary " + f);
                if (Files.isDirectory(f)) {
                    continue;
                }
                assertTrue(Files.size(f) > 0, "empty " + f);
                if (name.endsWith(".jsonl")) {
                    for (String line : Files.readAllLines(f)) {
                        json.readTree(line);
                    }
                } else if (name.endsWith(".json")) {
                    json.readTree(f.toFile());
                } else if (name.endsWith(".yaml")) {
                    new ObjectMapper(new YAMLFactory()).readTree(f.toFile());
                } else if (name.endsWith(".safetensors")) {
                    try (SafetensorsReader r = SafetensorsReader.open(f)) {
                        for (String key : r.keys()) {
                            r.load(key, m).close();
                        }
                    }
                } else if (name.endsWith(".png")) {
                    assertNotNull(ImageIO.read(f.toFile()), "unreadable " + f);
                } else if (name.endsWith(".html")) {
                    assertTrue(Files.readString(f).strip().endsWith("</html>"), "truncated " + f);
                } else {
                    throw new AssertionError("unexpected file " + f);
                }
            }
        }
    }

    /**
     * The same files, byte for byte (report.html aside: it shows timings), and the same metrics but
     * timings; every difference is listed at once.
     */
    private static void assertSameRun(Path expected, Path actual) throws IOException {
        Map<String, byte[]> e = files(expected);
        Map<String, byte[]> a = files(actual);
        List<String> problems = new ArrayList<>();
        if (!e.keySet().equals(a.keySet())) {
            Set<String> missing = new java.util.TreeSet<>(e.keySet());
            missing.removeAll(a.keySet());
            Set<String> extra = new java.util.TreeSet<>(a.keySet());
            extra.removeAll(e.keySet());
            problems.add("files missing " + missing + ", extra " + extra);
        }
        for (String f : e.keySet()) {
            if (a.containsKey(f) && !f.equals("report.html") && !f.equals("metrics.jsonl")
                    && !java.util.Arrays.equals(e.get(f), a.get(f))) {
                problems.add(f + " differs");
            }
        }
        List<Map<String, Object>> em = metrics(expected);
        List<Map<String, Object>> am = metrics(actual);
        assertEquals(EPOCHS, em.size());
        if (!em.equals(am)) {
            problems.add("metrics.jsonl (timings aside) differs: epochs " + am.stream().map(m -> m.get("epoch")).toList()
                    + " instead of " + em.stream().map(m -> m.get("epoch")).toList());
        }
        assertTrue(problems.isEmpty(), "the resumed run differs from the uninterrupted one: " + problems);
        assertEquals(em, am);
    }

    /** {@code ddpo4j.cli.Main train ...} in a child JVM on the test class path, its stdout read line by line. */
    private static final class Child {
        private final Process process;
        private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        private final Thread reader;

        private Child(Process process) {
            this.process = process;
            reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String l = r.readLine(); l != null; l = r.readLine()) {
                        synchronized (lines) {
                            lines.add(l);
                            lines.notifyAll();
                        }
                    }
                } catch (IOException ignored) {
                    // the child was killed: its output simply ends
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        static Child start(Path tmp, List<String> args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Main.class.getName()));
            cmd.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(cmd)
                    .redirectError(ProcessBuilder.Redirect.appendTo(tmp.resolve("children-stderr.txt").toFile()));
            pb.environment().put("OMP_NUM_THREADS", "1");
            pb.environment().put("MKL_CBWR", "AUTO,STRICT");
            return new Child(pb.start());
        }

        /** Waits for the first line (printed so far or later) that matches; fails if the child ends first. */
        String await(Predicate<String> match) throws InterruptedException {
            long deadline = System.nanoTime() + PHASE_TIMEOUT.toNanos();
            synchronized (lines) {
                while (true) {
                    for (String l : lines) {
                        if (match.test(l)) {
                            return l;
                        }
                    }
                    if (!process.isAlive() && !reader.isAlive()) {
                        throw new AssertionError("child ended before the awaited line: " + lines);
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new AssertionError("awaited line did not come: " + lines);
                    }
                    lines.wait(Math.min(100, TimeUnit.NANOSECONDS.toMillis(left) + 1));
                }
            }
        }

        /** Polls {@code condition} as fast as it can (file checks take microseconds); fails if the child ends first. */
        void spinUntil(java.util.function.BooleanSupplier condition) {
            long deadline = System.nanoTime() + PHASE_TIMEOUT.toNanos();
            while (!condition.getAsBoolean()) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("condition not reached; child alive " + process.isAlive() + ": " + lines);
                }
                Thread.onSpinWait();
            }
        }

        void sleep(long millis) throws InterruptedException {
            Thread.sleep(millis);
        }

        /**
         * SIGKILL (destroyForcibly on Linux; the JVM reports a signal death as 128 + 9), then judges
         * where it landed: {@code after} sees every line the child printed before it died and may
         * say the kill came too late; otherwise it landed in {@code aimed}.
         */
        Phase kill(java.util.function.Function<String, Phase> after, Phase aimed) throws InterruptedException {
            process.destroyForcibly();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS));
            assertEquals(137, process.exitValue(), "killed by SIGKILL");
            reader.join(10_000);
            synchronized (lines) {
                for (String l : lines) {
                    Phase p = after.apply(l);
                    if (p != null) {
                        return p;
                    }
                }
            }
            return aimed;
        }

        int finish() throws InterruptedException {
            assertTrue(process.waitFor(PHASE_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS), "child still running");
            reader.join(10_000);
            return process.exitValue();
        }

        String lastLine() {
            synchronized (lines) {
                return lines.isEmpty() ? "(none)" : lines.get(lines.size() - 1);
            }
        }

        String output() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }
    }
}
