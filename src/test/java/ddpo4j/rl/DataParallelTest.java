package ddpo4j.rl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ddpo4j.prompts.PromptSample;
import ddpo4j.rewards.Reward;
import ddpo4j.rewards.RewardResult;
import ddpo4j.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * N ranks ({@link ThreadRanks}: threads of this JVM taking turns) against one process, on the
 * analytic {@link GaussianDriftPolicy}: the same config must give the same bytes, because every
 * rank combines the exchanged batches and per-minibatch gradients in the order one process uses.
 */
class DataParallelTest {
    private static final int T = 4;
    /** Metrics that describe the run's arithmetic (timings, memory and reward call counts are per rank). */
    static final List<String> SAME = List.of("num_samples", "reward_mean", "reward_std", "loss", "approx_kl", "clipfrac",
            "ratio_at_start", "grad_norm", "optimizer_steps", "advantage_mean", "advantage_std", "kl_to_base",
            "image.brightness", "image.color_entropy", "image.edge_density");

    @TempDir
    Path tmp;

    /** Reward -(mean x_0 - 1)^2 (see {@link GaussianDriftPolicy}). */
    private static Reward target() {
        return new Reward() {
            @Override
            public String name() {
                return "target";
            }

            @Override
            public CompletableFuture<RewardResult> score(ddpo4j.rewards.RewardBatch batch) {
                double[] s = new double[batch.size()];
                for (int i = 0; i < s.length; i++) {
                    double x0 = batch.images().get(i)[0];
                    s[i] = -(x0 - 1) * (x0 - 1);
                }
                return CompletableFuture.completedFuture(new RewardResult(s, Collections.nCopies(s.length, Map.of())));
            }
        };
    }

    private static TrainConfig config(String... more) {
        List<String> kv = new ArrayList<>(List.of("pretrained.model=analytic", "num_epochs=3", "seed=11",
                "sample.num_steps=" + T, "sample.batch_size=2", "sample.num_batches_per_epoch=4",
                "train.batch_size=2", "train.gradient_accumulation_steps=2", "advantage=per_prompt",
                "per_prompt_stat_tracking.min_count=2", "save_images=3", "save_freq=1", "use_lora=false",
                "prompt_fn=list", "prompt_fn_kwargs.prompts=a|b", "train.learning_rate=0.02", "train.clip_range=0.2",
                "train.num_inner_epochs=2"));
        kv.addAll(List.of(more));
        return TrainConfig.resolve(null, kv);
    }

    private record Result(float theta, List<Map<String, Object>> metrics) {}

    private static Result train(TrainConfig cfg, Path dir, Collective ranks) {
        return train(cfg, dir, ranks, 0f);
    }

    private static Result train(TrainConfig cfg, Path dir, Collective ranks, float theta0) {
        List<Map<String, Object>> metrics = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager()) {
            GaussianDriftPolicy policy = new GaussianDriftPolicy(m, T, theta0);
            List<String> pool = List.of("a", "b");
            try (Trainer t = new Trainer(cfg, policy, RewardRoles.of(target()),
                    random -> PromptSample.of(pool.get(random.nextInt(2))), new RunDir(dir), new TrainingListener() {
                        @Override
                        public void epochEnd(Map<String, Object> line) {
                            metrics.add(line);
                        }
                    }, ranks)) {
                t.train(0);
            }
            return new Result(policy.theta(), metrics);
        }
    }

    @Test
    void twoRanksComputeTheBytesOfOneProcess() throws Exception {
        for (String algorithm : List.of("is", "sf")) {
            TrainConfig cfg = config("train.algorithm=" + algorithm);
            Result one = train(cfg, tmp.resolve("one-" + algorithm), Collective.single());
            Path shared = tmp.resolve("two-" + algorithm);
            List<Result> two = new ThreadRanks(2).run(ranks -> train(cfg, shared, ranks));
            for (int r = 0; r < 2; r++) {
                assertEquals(Float.floatToIntBits(one.theta()), Float.floatToIntBits(two.get(r).theta()),
                        algorithm + ": theta of rank " + r + " (" + two.get(r).theta() + ") vs one process ("
                                + one.theta() + ")");
            }
            assertTrue(two.get(1).metrics().isEmpty(), "only rank 0 reports epochs");
            assertEquals(3, two.get(0).metrics().size());
            for (int e = 0; e < 3; e++) {
                for (String key : SAME) {
                    assertEquals(one.metrics().get(e).get(key), two.get(0).metrics().get(e).get(key),
                            algorithm + ", epoch " + e + ": " + key);
                }
            }
            assertArrayEquals(Files.readAllBytes(tmp.resolve("one-" + algorithm).resolve("samples/epoch_0002/02.png")),
                    Files.readAllBytes(shared.resolve("samples/epoch_0002/02.png")), "image 2 came from rank 1's batch");
            assertFalse(Files.exists(shared.resolve("samples/epoch_0002/03.png")));
        }
    }

    @Test
    void ranksWhoseWeightsDivergeStopAtTheFirstStep() {
        TrainConfig cfg = config();
        // rank 1 starts from other weights: both ranks see the checksums differ after the first step
        Exception e = assertThrows(Exception.class, () -> new ThreadRanks(2).run(ranks -> train(cfg,
                tmp.resolve("diverged"), ranks, ranks.rank() == 0 ? 0f : 1e-3f)));
        assertTrue(e.getMessage().contains("epoch 0, optimizer step 0: the weights of rank"), e.getMessage());
    }

    /**
     * The tiny Stable Diffusion fixture with LoRA, 2 epochs: two ranks write the LoRA, checkpoints
     * and metrics one process writes, byte for byte (metrics without timings and reward counters).
     */
    @Test
    @Tag("slow")
    void twoRanksTrainTheTinyModelAsOneProcessDoes() throws Exception {
        TrainConfig cfg = TrainConfig.resolve(null, List.of("pretrained.model=" + Fixtures.tinySd(), "num_epochs=2",
                "seed=7", "sample.num_steps=4", "sample.batch_size=2", "sample.num_batches_per_epoch=2",
                "train.batch_size=1", "train.gradient_accumulation_steps=2", "prompt_fn=list",
                "prompt_fn_kwargs.prompts=a cat|a dog", "per_prompt_stat_tracking.min_count=2", "save_freq=1",
                "save_images=4", "train.learning_rate=1e-3"));
        Path one = tmp.resolve("one");
        List<Map<String, Object>> oneMetrics = trainTiny(cfg, one, Collective.single());
        Path two = tmp.resolve("two");
        List<List<Map<String, Object>>> ranks = new ThreadRanks(2).run(r -> trainTiny(cfg, two, r));
        String lora = "lora/pytorch_lora_weights.safetensors";
        assertArrayEquals(Files.readAllBytes(one.resolve(lora)), Files.readAllBytes(two.resolve(lora)), "LoRA bytes");
        for (String f : List.of("checkpoints/epoch_000001/state.safetensors", "samples/epoch_0001/03.png")) {
            assertArrayEquals(Files.readAllBytes(one.resolve(f)), Files.readAllBytes(two.resolve(f)), f);
        }
        for (int e = 0; e < 2; e++) {
            for (String key : SAME) {
                assertEquals(oneMetrics.get(e).get(key), ranks.get(0).get(e).get(key), "epoch " + e + ": " + key);
            }
        }
        System.out.printf("data parallel, tiny SD: 2 ranks = 1 process, LoRA bytes equal; epoch 1 loss %s%n",
                oneMetrics.get(1).get("loss"));
    }

    private static List<Map<String, Object>> trainTiny(TrainConfig cfg, Path dir, Collective ranks) {
        List<Map<String, Object>> metrics = new ArrayList<>();
        try (Trainer t = TrainingSetup.open(cfg, dir, new TrainingListener() {
                    @Override
                    public void epochEnd(Map<String, Object> line) {
                        metrics.add(line);
                    }
                }, ranks)) {
            t.train(0);
        }
        return metrics;
    }
}
