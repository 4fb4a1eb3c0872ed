package ddpo4j.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpo4j.Ddpo4jException;
import ddpo4j.io.FileTrees;
import ddpo4j.report.ReplayPage;
import ddpo4j.rl.RunDir;
import ddpo4j.rl.TrainConfig;
import ddpo4j.rl.TrainingListener;
import ddpo4j.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replay of one experiment on the tiny fixture, two seeds: its row is the runs' own evaluations,
 * a rerun skips finished runs, and a run killed after its first epoch resumes to the same numbers.
 */
@Tag("slow")
class ReplayTest {
    private static final String SET = "counting-train";

    @TempDir
    Path tmp;

    @Test
    void aReplayReadsItsRunsAndResumesAStoppedOne() throws IOException {
        Path model = Fixtures.tinySd().toAbsolutePath(); // skips without the fixtures
        Files.writeString(tmp.resolve("tiny.yaml"), String.join("\n", "pretrained.model: " + model,
                "reward_fn: jpeg_compressibility", "prompt_fn: counting", "prompt_fn_kwargs.split: train",
                "eval.sets: " + SET, "eval.samples_per_prompt: 1", "eval.freq: 100", "num_epochs: 2", "save_freq: 1",
                "use_lora: true", "sample.num_steps: 3", "sample.batch_size: 2", "sample.num_batches_per_epoch: 1",
                "train.batch_size: 2", "train.learning_rate: 1e-3", "advantage: batch", "guard.monitor_reward: brightness",
                "eval.grid: 3", ""));
        Files.writeString(tmp.resolve("plan.yaml"), String.join("\n", "experiments:", "  - name: tiny",
                "    config: tiny.yaml", "    set: {train.clip_range: 0.1}", "    findings:",
                "      - {id: a, claim: more compressible, measure: paired, set: " + SET + ", direction: up}",
                "      - {id: g, claim: fools the judge, measure: proxy_gap, set: " + SET + ", direction: up}", ""));
        ReplayPlan plan = ReplayPlan.read(tmp.resolve("plan.yaml"));
        Path out = tmp.resolve("out");
        List<Path> trained = new ArrayList<>();
        List<FindingResult> first = replay(plan, out, trained);
        assertEquals(List.of(out.resolve("tiny/seed-0"), out.resolve("tiny/seed-1")), trained);

        FindingResult r = first.get(0);
        double before = 0;
        double after = 0;
        int perRun = 0;
        for (int s = 0; s < 2; s++) {
            RunDir run = new RunDir(out.resolve("tiny/seed-" + s));
            Map<String, Object> epoch0 = run.readMetrics().get(0);
            before += ((Number) epoch0.get("eval." + SET + ".reward_mean")).doubleValue() / 2;
            after += new RunReading(run.root()).finalMetric("eval." + SET + ".reward_mean") / 2;
            perRun = ((Number) epoch0.get("eval." + SET + ".num_samples")).intValue();
            assertEquals(s, new RunReading(run.root()).config().getLong("seed"));
            assertEquals(0.1, new RunReading(run.root()).config().getDouble("train.clip_range"));
        }
        assertEquals(before, r.before(), 1e-9, "before = the runs' epoch-0 evaluations");
        assertEquals(after, r.after(), 1e-9, "after = the runs' final evaluations");
        assertEquals(r.after() - r.before(), r.change(), 1e-9);
        assertEquals(2 * perRun, r.n());
        assertTrue(Double.isFinite(r.changeSe()) && r.changeSe() > 0, "a standard error from " + r.n() + " pairs");
        // the proxy-gap finding's grid: the first seed's 3 evaluation images before and after, rescored
        FindingResult g = first.get(1);
        assertEquals(3, g.grid().size());
        for (JudgedImage cell : g.grid()) {
            assertTrue(cell.before().png().startsWith(out.resolve("tiny/seed-0/samples/epoch_0000")), cell.before().png().toString());
            assertTrue(cell.after().png().startsWith(out.resolve("tiny/seed-0/samples/final")), cell.after().png().toString());
            assertTrue(cell.after().proxySays().contains("jpeg_bytes"), cell.after().proxySays());
            assertTrue(cell.after().gold() > 0 && cell.after().gold() < 1, "brightness in (0, 1): " + cell.after().gold());
        }
        assertTrue(Files.readString(out.resolve(ReplayPage.FILE_NAME)).contains("data:image/png;base64,"));
        byte[] md = Files.readAllBytes(out.resolve(ReplayTables.MARKDOWN));
        assertTrue(new String(md).contains("| (a) | more compressible | jpeg_compressibility (" + SET + ") |"), new String(md));
        assertTrue(Files.readString(out.resolve(ReplayPage.FILE_NAME)).contains("more compressible"));

        // a rerun trains nothing and writes the same table
        trained.clear();
        assertEquals(first, replay(plan, out, trained));
        assertEquals(List.of(), trained);
        assertArrayEquals(md, Files.readAllBytes(out.resolve(ReplayTables.MARKDOWN)));

        // seed 1 killed after its first epoch: its epoch-1 checkpoint and final evaluation gone
        Path seed1 = out.resolve("tiny/seed-1");
        byte[] lora = Files.readAllBytes(seed1.resolve("lora/pytorch_lora_weights.safetensors"));
        Files.delete(seed1.resolve(RunDir.FINAL_EVAL));
        deleteTree(seed1.resolve("checkpoints/epoch_000001"));
        deleteTree(seed1.resolve("samples/final"));
        List<FindingResult> resumed = replay(plan, out, trained);
        assertEquals(List.of(seed1), trained);
        assertEquals(first.get(0).after(), resumed.get(0).after(), 0.0, "the resumed run's final evaluation");
        assertEquals(first.get(0).change(), resumed.get(0).change(), 0.0);
        assertArrayEquals(lora, Files.readAllBytes(seed1.resolve("lora/pytorch_lora_weights.safetensors")));
        // an edited plan does not silently reuse runs trained with the old one
        Files.writeString(tmp.resolve("plan.yaml"), Files.readString(tmp.resolve("plan.yaml"))
                .replace("train.clip_range: 0.1", "train.clip_range: 0.2"));
        Ddpo4jException edited = assertThrows(Ddpo4jException.class,
                () -> replay(ReplayPlan.read(tmp.resolve("plan.yaml")), out, trained));
        assertTrue(edited.getMessage().contains("another config than the plan now gives"), edited.getMessage());
        System.out.printf("replay, tiny fixture: before %.4f after %.4f change %+.4f ± %.4f (n %d); resumed run equal%n",
                r.before(), r.after(), r.change(), r.changeSe(), r.n());
    }

    private static List<FindingResult> replay(ReplayPlan plan, Path out, List<Path> trained) {
        return Replay.run(plan, out, 2, (dir, cfg) -> {
            trained.add(dir);
            return new TrainingListener() {};
        }, rows -> {
            ReplayTables.write(out, rows, 2);
            ReplayPage.write(out, rows, 2);
        });
    }

    private static void deleteTree(Path dir) throws IOException {
        assertTrue(Files.isDirectory(dir), dir + " exists");
        FileTrees.delete(dir);
    }
}
