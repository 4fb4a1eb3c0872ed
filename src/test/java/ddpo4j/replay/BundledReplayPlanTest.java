package ddpo4j.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpo4j.Ddpo4jException;
import ddpo4j.prompts.PromptSets;
import ddpo4j.rewards.RewardSpec;
import ddpo4j.rewards.registry.Rewards;
import ddpo4j.rl.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** configs/replay.yaml: every experiment resolves to a valid train config whose runs its findings can read. */
class BundledReplayPlanTest {
    @TempDir
    Path tmp;

    @Test
    void everyExperimentIsAValidRunItsFindingsCanRead() {
        ReplayPlan plan = ReplayPlan.read(Path.of("configs/replay.yaml"));
        Set<String> ids = validRuns(plan);
        assertTrue(ids.containsAll(Set.of("a", "b", "c", "d", "e", "f", "g")), "findings covered: " + ids);
        assertEquals(List.of("overoptimization", "overoptimization-kl"),
                plan.only("f").experiments().stream().map(Experiment::name).toList());
    }

    @Test
    void theAlignmentAblationIsAValidPlanWithItsControl() {
        ReplayPlan plan = ReplayPlan.read(Path.of("configs/replay-alignment-ablation.yaml"));
        assertEquals(Set.of("train", "heldout"), validRuns(plan));
        assertEquals("no_signal", SeedRun.config(plan.only("no-signal").experiments().get(0), 0).getString("reward_fn"));
    }

    /** Checks every experiment's run config and findings; returns the finding ids. */
    private static Set<String> validRuns(ReplayPlan plan) {
        Set<String> ids = new TreeSet<>();
        for (Experiment e : plan.experiments()) {
            TrainConfig c = SeedRun.config(e, 1);
            c.validate();
            assertEquals(1, c.getLong("seed"));
            for (String key : List.of("reward_fn", "eval.reward", "guard.monitor_reward")) {
                String spec = c.getString(key);
                assertTrue(spec.isBlank() || Rewards.names().contains(RewardSpec.parse(spec).name()), e.name() + ": " + key);
            }
            List<String> sets = c.evalSets().stream().map(TrainConfig.EvalSetSpec::name).toList();
            sets.forEach(s -> assertTrue(PromptSets.exists(s), e.name() + ": eval set " + s));
            for (Finding f : e.findings()) {
                ids.add(f.id());
                assertTrue(sets.contains(f.set()), e.name() + ": finding " + f.id() + " reads " + f.set()
                        + ", which the run does not evaluate");
                if (f.measure() == Finding.Measure.OVEROPTIMIZATION) {
                    assertTrue(c.getInt("eval.freq") < c.getInt("num_epochs"), e.name() + ": a curve needs evaluations");
                }
                if (f.measure() == Finding.Measure.PROXY_GAP || f.measure() == Finding.Measure.MONITOR) {
                    assertTrue(!c.getString("guard.monitor_reward").isBlank(), e.name() + ": proxy_gap needs a monitor");
                }
            }
        }
        return ids;
    }

    @Test
    void aTypoInAPlanIsOneClearError() throws Exception {
        Files.writeString(tmp.resolve("bad.yaml"), "experiments:\n  - name: x\n    config: missing.yaml\n    findings: []\n");
        Exception e = assertThrows(Ddpo4jException.class, () -> ReplayPlan.read(tmp.resolve("bad.yaml")));
        assertTrue(e.getMessage().contains("missing.yaml not found"), e.getMessage());
        Files.writeString(tmp.resolve("typo.yaml"), "experiments:\n  - name: x\n    config: bad.yaml\n    seting: {}\n"
                + "    findings: []\n");
        e = assertThrows(Ddpo4jException.class, () -> ReplayPlan.read(tmp.resolve("typo.yaml")));
        assertTrue(e.getMessage().contains("seting"), e.getMessage());
        Exception only = assertThrows(Ddpo4jException.class,
                () -> ReplayPlan.read(Path.of("configs/replay.yaml")).only("z"));
        assertTrue(only.getMessage().contains("names no experiment"), only.getMessage());
    }
}
