package ddpo4j.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ddpo4j.rewards.Reward;
import ddpo4j.rewards.RewardBatch;
import ddpo4j.rewards.RewardResult;
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
        try (Trainer t = new Trainer(cfg, policy, reward, random -> ddpo4j.prompts.PromptSample.of("x"),
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
        for (double target : new double[] {2.0, -2.0}) {
            try (NDManager m = NDManager.newBaseManager()) {
                GaussianDriftPolicy policy = new GaussianDriftPolicy(m, T, 0f);
                List<Map<String, Object>> metrics = train(config(30, "train.learning_rate=0.02",
                        "train.clip_range=0.2", "train.num_inner_epochs=2"), policy, new Target(target),
                        tmp.resolve("t" + target), false);
                double optimum = target / T;
                System.out.printf("analytic IS, target %.1f: theta %.4f (optimum %.3f), reward %.3f -> %.3f%n",
                        target, policy.theta(), optimum, (double) metrics.get(0).get("reward_mean"),
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

    private static double mean(List<Map<String, Object>> metrics, int from, int to) {
        return metrics.subList(from, to).stream().mapToDouble(e -> (double) e.get("reward_mean")).average().orElseThrow();
    }
}
