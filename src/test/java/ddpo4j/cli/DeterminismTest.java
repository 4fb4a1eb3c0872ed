package ddpo4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpo4j.testing.Fixtures;
import ddpo4j.testing.RunFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Same config, seed and thread count, same bytes: the CLI in separate JVMs (run at the same time,
 * so timing and scheduling differ too) must write identical metrics.jsonl (timings aside), LoRA,
 * checkpoints and samples, with no non-finite event. One run under glibc's malloc debugging, which
 * changes every heap address and fills each block's slack with guard bytes, must equal a plain one:
 * that is what exposed the corrupted convolution gradient (see tensor.OneDnnConvolutions), which
 * read stale heap memory and so differed with the allocation history.
 */
@Tag("slow")
class DeterminismTest {
    private static final Path MALLOC_DEBUG = Path.of("/lib/x86_64-linux-gnu/libc_malloc_debug.so.0");
    private static final long TIMEOUT_MINUTES = 15;

    @TempDir
    Path tmp;

    @Test
    void theDefaultJobCutToThreeEpochsIsByteIdenticalInThreeJvms() throws Exception {
        List<String> args = List.of("--config", "configs/shapes-incompressibility.yaml", "--set", "num_epochs=3");
        assertIdenticalRuns(runTogether(List.of(args, args, args), Map.of()));
    }

    @Test
    void theWholeUNetOnTheTinyFixtureIsByteIdenticalInThreeJvms() throws Exception {
        List<String> args = new ArrayList<>(tinyFixtureArgs());
        args.addAll(List.of("--set", "use_lora=false", "--set", "num_epochs=3", "--set", "save_freq=1"));
        assertIdenticalRuns(runTogether(List.of(args, args, args), Map.of()));
    }

    @Test
    void aRunUnderMallocDebuggingEqualsAPlainRun() throws Exception {
        Assumptions.assumeTrue(Files.isReadable(MALLOC_DEBUG), MALLOC_DEBUG + " is absent (glibc < 2.34 or not"
                + " Debian's layout): skipping the heap-layout check");
        // 2 prompts x CFG = 4 UNet rows per backward: the shape that failed 20 of 20 times before the fix
        List<String> args = new ArrayList<>(tinyFixtureArgs());
        args.addAll(List.of("--set", "num_epochs=2", "--set", "train.detect_anomaly=true"));
        Path debug = tmp.resolve("run-0");
        Path plain = tmp.resolve("run-1");
        List<Path> runs = List.of(
                run(args, debug, Map.of("LD_PRELOAD", MALLOC_DEBUG.toString(), "MALLOC_CHECK_", "3")),
                run(args, plain, Map.of()));
        assertIdenticalRuns(runs);
    }

    /** The reproducer: LoRA on every attention projection, batch 2 with CFG, 10 steps. */
    private static List<String> tinyFixtureArgs() {
        return List.of("--set", "pretrained.model=" + Fixtures.tinySd(), "--set", "seed=7",
                "--set", "sample.num_steps=10", "--set", "sample.batch_size=2", "--set", "sample.num_batches_per_epoch=2",
                "--set", "train.batch_size=2", "--set", "train.gradient_accumulation_steps=1", "--set", "use_lora=true",
                "--set", "reward_fn=jpeg_compressibility", "--set", "prompt_fn=simple_animals", "--set", "save_images=2");
    }

    private List<Path> runTogether(List<List<String>> argLists, Map<String, String> env) throws Exception {
        List<Process> started = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        try {
            for (int i = 0; i < argLists.size(); i++) {
                Path dir = tmp.resolve("run-" + i);
                dirs.add(dir);
                started.add(start(argLists.get(i), dir, env));
            }
            for (int i = 0; i < started.size(); i++) {
                awaitSuccess(started.get(i), dirs.get(i));
            }
        } finally {
            started.forEach(Process::destroyForcibly);
        }
        return dirs;
    }

    private Path run(List<String> args, Path dir, Map<String, String> env) throws Exception {
        Process p = start(args, dir, env);
        try {
            awaitSuccess(p, dir);
        } finally {
            p.destroyForcibly();
        }
        return dir;
    }

    /** {@code ddpo4j train ARGS --run-dir DIR} in a child JVM on the test class path, one intra-op thread. */
    private Process start(List<String> args, Path dir, Map<String, String> env) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "train", "--run-dir", dir.toString()));
        cmd.addAll(args);
        Files.createDirectories(tmp);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectOutput(tmp.resolve(dir.getFileName() + ".out").toFile())
                .redirectError(tmp.resolve(dir.getFileName() + ".err").toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        pb.environment().put("MKL_CBWR", "AUTO,STRICT");
        pb.environment().putAll(env);
        return pb.start();
    }

    private void awaitSuccess(Process p, Path dir) throws Exception {
        boolean ended = p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
        String err = Files.readString(tmp.resolve(dir.getFileName() + ".err"));
        assertTrue(ended, dir + " did not end within " + TIMEOUT_MINUTES + " minutes; stderr: " + err);
        assertEquals(0, p.exitValue(), dir + " failed; stderr: " + err);
        assertFalse(err.contains("warning"), dir + " warned: " + err);
    }

    /** Every run equals the first: metrics but timings, and every file's bytes (report.html shows timings). */
    private static void assertIdenticalRuns(List<Path> runs) throws IOException {
        List<Map<String, Object>> first = RunFiles.metrics(runs.get(0));
        for (Map<String, Object> epoch : first) {
            assertEquals(0.0, ((Number) epoch.get("nonfinite_skipped")).doubleValue(), "non-finite events: " + epoch);
            assertEquals(0.0, ((Number) epoch.get("optimizer_steps_skipped")).doubleValue(), "skipped steps: " + epoch);
        }
        Map<String, byte[]> files = RunFiles.files(runs.get(0));
        assertTrue(files.keySet().stream().anyMatch(f -> f.endsWith(".safetensors")), "no weights written: " + files.keySet());
        for (Path other : runs.subList(1, runs.size())) {
            assertEquals(first, RunFiles.metrics(other), other + ": metrics.jsonl (timings aside)");
            Map<String, byte[]> otherFiles = RunFiles.files(other);
            assertEquals(files.keySet(), otherFiles.keySet(), other + ": the same files");
            for (String f : files.keySet()) {
                if (!f.equals("report.html") && !f.equals("metrics.jsonl")) {
                    assertTrue(Arrays.equals(files.get(f), otherFiles.get(f)), other + ": " + f + " differs");
                }
            }
        }
    }
}
