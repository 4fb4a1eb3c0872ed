package ddpo4j.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import ddpo4j.rewards.Reward;
import ddpo4j.rewards.RewardBatch;
import ddpo4j.rewards.RewardResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real trainer (sampling, reward collection, advantages, minibatches, loss scaling,
 * accumulation, clipping, AdamW, checkpoints) driven by {@link GaussianDriftPolicy}, whose
 * policy gradient and optimum are known in closed form. Runs in about a second: no UNet.
 */
class TrainerAnalyticTest {
    private static final int T = 4;

    @TempDir
    Path tmp;

    /** Reward -(mean(x_0) - target)^2: maximised in expectation by theta = target / T. */
    private record Target(double target) implements Reward {
        @Override
        public String name() {
            return "target";
        }

        @Override
        public CompletableFuture<RewardResult> score(RewardBatch batch) {
            double[] s = new double[batch.size()];
            for (int i = 0; i < s.length; i++) {
                double x0 = batch.images().get(i)[0];
                s[i] = -(x0 - target) * (x0 - target);
            }
            return CompletableFuture.completedFuture(new RewardResult(s, Collections.nCopies(s.length, Map.of())));
        }
    }

    private static TrainConfig config(int epochs, String... more) {
        List<String> kv = new ArrayList<>(List.of("pretrained.model=analytic", "num_epochs=" + epochs, "seed=3",
                "sample.num_steps=" + T, "sample.batch_size=4", "sample.num_batches_per_epoch=2",
                "train.batch_size=4", "train.gradient_accumulation_steps=1", "advantage=batch", "save_images=0",
                "save_freq=1", "use_lora=false", "prompt_fn=list", "prompt_fn_kwargs.prompts=x"));
        kv.addAll(List.of(more));
        return TrainConfig.resolve(null, kv);
    }

    /** Trains {@code cfg} (resuming the run dir when asked) and returns every epoch's metrics. */
    private static List<Map<String, Object>> train(TrainConfig cfg, GaussianDriftPolicy policy, Reward reward,
            Path dir, boolean resume) {
        List<Map<String, Object>> epochs = new ArrayList<>();
        // one prompt, or with groups four prompts, so that group advantages differ from batch ones
        try (Trainer t = new Trainer(cfg, policy, reward, random -> ddpo4j.prompts.PromptSample.of(
                        cfg.getInt("group_size") > 1 ? "p" + random.nextInt(4) : "x"),
                new RunDir(dir), new TrainingListener() {
                    @Override
                    public void epochEnd(Map<String, Object> metrics) {
                        epochs.add(metrics);
                    }
                })) {
            t.train(resume ? t.resume() : 0);
        }
        return epochs;
    }

    @Test
    void theScoreFunctionStepIsTheAnalyticPolicyGradient() {
        double target = 1.0;
        try (NDManager m = NDManager.newBaseManager()) {
            GaussianDriftPolicy policy = new GaussianDriftPolicy(m, T, 0f);
            List<Map<String, Object>> metrics = train(config(1, "train.algorithm=sf", "train.learning_rate=0.01",
                    "train.max_grad_norm=100"), policy, new Target(target), tmp, false);

            // grad = -(1 / (n T)) sum_i A_i sum_t mean_d (x_{t-1} - x_t - theta0) / sigma^2, A_i batch-normalized
            List<float[]> xs = policy.sampled();
            int n = xs.size();
            int d = GaussianDriftPolicy.D;
            double[] rewards = new double[n];
            for (int i = 0; i < n; i++) {
                double x0 = 0;
                for (int k = 0; k < d; k++) {
                    x0 += xs.get(i)[T * d + k] / d;
                }
                rewards[i] = -(x0 - target) * (x0 - target);
            }
            double[] adv = new BatchAdvantages().advantages(Collections.nCopies(n, "x"), rewards);
            double grad = 0;
            for (int i = 0; i < n; i++) {
                double score = 0;
                for (int t = 0; t < T; t++) {
                    for (int k = 0; k < d; k++) {
                        score += (xs.get(i)[(t + 1) * d + k] - xs.get(i)[t * d + k])
                                / (GaussianDriftPolicy.SIGMA * GaussianDriftPolicy.SIGMA * d);
                    }
                }
                grad -= Math.max(-5, Math.min(5, adv[i])) * score / (n * T);
            }
            Map<String, Object> e = metrics.get(0);
            assertEquals(8, n);
            assertEquals(1.0, (double) e.get("optimizer_steps"), "SF: one step per epoch");
            assertEquals(Math.abs(grad), (double) e.get("grad_norm"), 1e-5 * Math.abs(grad), "grad norm");
            // AdamW's first step is lr * sign(g) (bias-corrected moments; weight decay on theta0 = 0 is nothing)
            assertEquals(-0.01 * Math.signum(grad), policy.theta(), 1e-6, "theta after one step");
            assertEquals(1.0, (double) e.get("ratio_at_start"), 1e-6);
        }
    }

    @Test
    void importanceSamplingFindsTheOptimumAndTheOppositeRewardTheOpposite() {
        assertFindsTheOptimumBothWays("analytic IS", "t");
    }

    /**
     * The same with each optimizer step summed from separately taken minibatch gradients; with one
     * prompt (where group and batch advantages coincide), and with four prompts in groups of four
     * under group and under batch advantages.
     */
    @Test
    void importanceSamplingWithAccumulatedPartsAndGroupsFindsTheOptimum() {
        assertFindsTheOptimumBothWays("analytic IS, 4 parts a step, group advantages", "parts", "train.batch_size=2",
                "train.gradient_accumulation_steps=4", "advantage=group");
        assertFindsTheOptimumBothWays("analytic IS, 4 parts a step, 4 prompts in groups of 4, group advantages", "g4", "train.batch_size=2",
                "train.gradient_accumulation_steps=4", "advantage=group", "group_size=4", "sample.num_batches_per_epoch=4");
        assertFindsTheOptimumBothWays("analytic IS, 4 parts a step, 4 prompts in groups of 4, batch advantages", "b4", "train.batch_size=2",
                "train.gradient_accumulation_steps=4", "advantage=batch", "group_size=4", "sample.num_batches_per_epoch=4");
    }

    /** 30 epochs of DDPO-IS towards +2 and towards -2: theta ends at the optimum and the reward rises. */
    private void assertFindsTheOptimumBothWays(String what, String dir, String... more) {
        for (double target : new double[] {2.0, -2.0}) {
            try (NDManager m = NDManager.newBaseManager()) {
                GaussianDriftPolicy policy = new GaussianDriftPolicy(m, T, 0f);
                List<String> settings = new ArrayList<>(List.of("train.learning_rate=0.02", "train.clip_range=0.2",
                        "train.num_inner_epochs=2"));
                settings.addAll(List.of(more));
                List<Map<String, Object>> metrics = train(config(30, settings.toArray(String[]::new)), policy,
                        new Target(target), tmp.resolve(dir + target), false);
                double optimum = target / T;
                System.out.printf("%s, target %.1f: theta %.4f (optimum %.3f), reward %.3f -> %.3f%n", what, target,
                        policy.theta(), optimum, (double) metrics.get(0).get("reward_mean"),
                        (double) metrics.get(29).get("reward_mean"));
                assertEquals(optimum, policy.theta(), 0.1, "theta after 30 epochs, target " + target);
                assertTrue(mean(metrics, 25, 30) > mean(metrics, 0, 5) + 1.0, "reward rose");
            }
        }
    }

    @Test
    void aResumedRunComputesTheSameBytesAsAnUninterruptedOne() {
        TrainConfig cfg = config(4, "train.learning_rate=0.02", "train.clip_range=0.2");
        float straight;
        List<Map<String, Object>> whole;
        try (NDManager m = NDManager.newBaseManager()) {
            GaussianDriftPolicy policy = new GaussianDriftPolicy(m, T, 0f);
            whole = train(cfg, policy, new Target(1.0), tmp.resolve("whole"), false);
            straight = policy.theta();
        }
        Path dir = tmp.resolve("split");
        try (NDManager m = NDManager.newBaseManager()) {
            train(config(2, "train.learning_rate=0.02", "train.clip_range=0.2"), new GaussianDriftPolicy(m, T, 0f),
                    new Target(1.0), dir, false);
        }
        try (NDManager m = NDManager.newBaseManager()) {
            GaussianDriftPolicy fresh = new GaussianDriftPolicy(m, T, 0f); // theta0 again: resume must load it
            List<Map<String, Object>> rest = train(cfg, fresh, new Target(1.0), dir, true);
            assertEquals(2, rest.size(), "epochs 2 and 3 run after the resume");
            assertEquals(Float.floatToIntBits(straight), Float.floatToIntBits(fresh.theta()), "theta bytes");
            for (String key : List.of("reward_mean", "loss", "approx_kl", "grad_norm")) {
                assertEquals(whole.get(3).get(key), rest.get(1).get(key), key);
            }
        }
    }

    /**
     * Over-optimization in miniature: the proxy prefers mean x_0 near 2 (theta = 0.5), a "gold"
     * reward near 1 (theta = 0.25). Gold, the evaluation reward and the monitor, rises while theta
     * climbs to 0.25 and falls after; the guard on its evaluation must stop the run past the peak,
     * well before the proxy's optimum, with the peak's value kept and the run resumable.
     */
    @Test
    void theGuardStopsTheRunAfterTheGoldPeak() throws Exception {
        Path prompts = Files.writeString(tmp.resolve("eval.txt"), "x\n");
        String metric = "eval." + prompts + ".reward_mean";
        TrainConfig cfg = config(40, "train.learning_rate=0.02", "train.clip_range=0.2", "train.num_inner_epochs=2",
                "eval.sets=" + prompts + "=16", "eval.samples_per_prompt=1", "eval.grid=0", "guard.metric=" + metric,
                "guard.action=stop", "guard.patience=2");
        Path dir = tmp.resolve("guarded");
        try (NDManager m = NDManager.newBaseManager()) {
            GaussianDriftPolicy policy = new GaussianDriftPolicy(m, T, 0f);
            List<Map<String, Object>> epochs = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            try (Trainer t = new Trainer(cfg, policy, new RewardRoles(new Target(2.0), new Target(1.0),
                    new Target(1.0)), random -> ddpo4j.prompts.PromptSample.of("x"), new RunDir(dir),
                    new TrainingListener() {
                        @Override
                        public void epochEnd(Map<String, Object> metrics) {
                            epochs.add(metrics);
                        }

                        @Override
                        public void warning(String text) {
                            warnings.add(text);
                        }
                    }, Collective.single())) {
                t.train(0);
            }
            Map<?, ?> stop = new ObjectMapper().readValue(dir.resolve("guard_stop.json").toFile(), Map.class);
            int stoppedBefore = (int) stop.get("stopped_before_epoch");
            Map<?, ?> last = new ObjectMapper().readValue(dir.resolve("eval_final.json").toFile(), Map.class);
            Map<String, Object> end = epochs.get(epochs.size() - 1);
            double best = (double) end.get("guard.best");
            System.out.printf("analytic guard: stopped before epoch %d of 40, theta %.3f (gold optimum 0.25, proxy 0.5);"
                    + " gold best %.4f at epoch %s, at the stop %.4f; kl_to_base %.4g; monitor r %.3f%n", stoppedBefore,
                    policy.theta(), best, end.get("guard.best_epoch"), (double) last.get(metric),
                    (double) end.get("kl_to_base"), (double) end.get("monitor.correlation"));
            assertEquals(stoppedBefore, epochs.size(), "metrics lines for the epochs before the stop");
            assertEquals(16, ((Number) last.get("eval." + prompts + ".num_samples")).intValue(), "eval.sets' =16");
            assertTrue(stoppedBefore < 40 && policy.theta() > 0.25 && policy.theta() < 0.45,
                    "stopped past the gold optimum, short of the proxy's: theta " + policy.theta());
            assertTrue((double) last.get(metric) < best, "gold at the stop is below its peak");
            assertTrue(warnings.stream().anyMatch(w -> w.startsWith("guard: stopped before epoch " + stoppedBefore)));
            assertTrue((double) end.get("kl_to_base") > 0);
            assertTrue(end.containsKey("image.brightness") && end.containsKey("monitor.mean"));
            assertTrue(Files.exists(dir.resolve("checkpoints").resolve(Checkpoints.name(stoppedBefore - 1))),
                    "the stopped policy is checkpointed");
        }
    }

    private static double mean(List<Map<String, Object>> metrics, int from, int to) {
        return metrics.subList(from, to).stream().mapToDouble(e -> (double) e.get("reward_mean")).average().orElseThrow();
    }
}
