package ddpo4j.rl;

import static ddpo4j.testing.Fixtures.assertClose;
import static ddpo4j.testing.Fixtures.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ddpo4j.io.SafetensorsReader;
import ddpo4j.nn.LoraLayers;
import ddpo4j.nn.Parameter;
import ddpo4j.pipeline.SamplingOptions;
import ddpo4j.pipeline.StableDiffusionPipeline;
import ddpo4j.rewards.RewardException;
import ddpo4j.schedulers.DDIMStep;
import ddpo4j.tensor.Scalars;
import ddpo4j.tensor.Scopes;
import ddpo4j.testing.Fixtures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * One whole DDPO-IS LoRA step as ddpo-pytorch's train.py runs it (reference/train_step.safetensors):
 * CFG log-prob recomputation over the 10 recorded timesteps, the clipped loss in both clip ranges,
 * accumulated LoRA gradients, the global norm, and the weights after one AdamW step.
 */
class TrainStepParityTest {
    private static final int T = 10;

    @Test
    void oneClippedStepMatchesTheReference() {
        try (StableDiffusionPipeline pipe = StableDiffusionPipeline.load(Fixtures.tinySd());
                SafetensorsReader ref = SafetensorsReader.open(Fixtures.reference("train_step.safetensors"));
                SafetensorsReader traj = SafetensorsReader.open(Fixtures.reference("pipeline.safetensors"));
                NDManager root = NDManager.newBaseManager();
                NDManager loraManager = NDManager.newBaseManager()) {
            LoraLayers lora = LoraLayers.install(pipe.unet(), LoraLayers.ATTENTION_TARGETS, 4, 4.0);
            Map<String, Parameter> params = lora.namedParameters("unet.");
            assertEquals(96, params.size());
            assertEquals(23_040L, lora.parameterCount());
            List<NDArray> values = referenceInit(params, ref, loraManager);
            DiffusionPolicy policy = new DiffusionPolicy(pipe, lora, new SamplingOptions(T, 5.0, 1.0, 0, 0), true);

            long[] ls = traj.info("latents").shape(); // (B, T+1, C, h, w)
            int b = (int) ls[0];
            int per = (int) (ls[2] * ls[3] * ls[4]);
            float[] latents = traj.floats("latents");
            float[] oldLogProbs = traj.floats("log_probs");
            long[] timesteps = traj.longs("timesteps");
            float[] adv = ref.floats("advantages");
            float[] newLogProbs = new float[b * T];
            float[] losses = new float[T];
            float[] losses02 = new float[T];
            float[] kls = new float[T];
            float[] clipfracs = new float[T];
            float[] clipfracs02 = new float[T];
            float lossTotal = 0f;
            Shape x = new Shape(b, ls[2], ls[3], ls[4]);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                for (int j = 0; j < T; j++) {
                    try (NDManager s = Scopes.step(root, policy.forwardParameters())) {
                        NDArray xt = s.create(rows(latents, b, (int) ls[1], per, j), x);
                        NDArray xprev = s.create(rows(latents, b, (int) ls[1], per, j + 1), x);
                        NDArray embeds = traj.load("prompt_embeds", s);
                        NDArray neg = traj.load("negative_prompt_embeds", s);
                        long[] t = {timesteps[j], timesteps[j]};
                        if (j == 0) {
                            NDArray eps = pipe.guidedNoisePrediction(xt, t, neg.concat(embeds, 0), 5.0);
                            assertClose(ref.floats("noise_pred_guided_step0_lora"), eps, 1.1e-4,
                                    "noise_pred_guided_step0_lora");
                        }
                        DDIMStep step = policy.stepLogProb(xt, xprev, t, embeds, neg);
                        float[] lp = step.logProb().toFloatArray();
                        for (int r = 0; r < b; r++) {
                            newLogProbs[r * T + j] = lp[r];
                        }
                        NDArray old = s.create(new float[] {oldLogProbs[j], oldLogProbs[T + j]});
                        NDArray a = s.create(adv).clip(-5, 5);
                        PolicyLoss.Terms terms = PolicyLoss.importanceSampling(step.logProb(), old, a, 1e-4);
                        PolicyLoss.Terms wide = PolicyLoss.importanceSampling(step.logProb().stopGradient(), old, a, 0.2);
                        losses[j] = terms.loss().getFloat();
                        losses02[j] = wide.loss().getFloat();
                        kls[j] = terms.approxKl();
                        clipfracs[j] = terms.clipFrac();
                        clipfracs02[j] = wide.clipFrac();
                        NDArray scaled = Scalars.div(terms.loss(), T); // not div(int): see Scalars
                        lossTotal += scaled.getFloat();
                        gc.backward(scaled);
                    }
                }
            }
            assertClose(ref.floats("new_log_probs"), newLogProbs, 1e-5, "new_log_probs");
            assertClose(ref.floats("loss_per_timestep"), losses, 1e-5, "loss_per_timestep");
            assertClose(ref.floats("eps02.loss_per_timestep"), losses02, 1e-5, "eps02.loss_per_timestep");
            assertClose(ref.floats("approx_kl_per_timestep"), kls, 1e-8, "approx_kl_per_timestep");
            assertArrayEquals(ref.floats("clipfrac_per_timestep"), clipfracs, "clipfrac_per_timestep");
            assertArrayEquals(ref.floats("eps02.clipfrac_per_timestep"), clipfracs02, "eps02.clipfrac_per_timestep");
            assertEquals(ref.floats("loss_total")[0], lossTotal, 1e-6, "loss_total");

            try (NDManager s = Scopes.step(root, values.toArray(NDArray[]::new))) {
                List<NDArray> grads = new ArrayList<>();
                for (NDArray v : values) {
                    grads.add(v.getGradient());
                }
                // relative to each tensor's largest entry; the reference varies by 1.5e-5 with thread count
                double worstGrad = 0;
                double worstAfter = 0;
                int i = 0;
                for (String name : params.keySet()) {
                    float[] want = ref.floats("grad." + name);
                    double rel = maxAbsDiff(want, grads.get(i++).toFloatArray()) / maxAbs(want);
                    assertTrue(rel <= 1e-3, "grad." + name + ": relative diff " + rel);
                    worstGrad = Math.max(worstGrad, rel);
                }
                float norm = GradClip.clip(grads, 1.0);
                assertEquals(ref.floats("grad_norm_before_clip")[0], norm, 1e-4 * norm, "grad norm");
                AdamW adam = new AdamW(values, AdamW.Options.ddpoDefaults(), s);
                adam.step(grads);
                i = 0;
                for (String name : params.keySet()) {
                    double d = maxAbsDiff(ref.floats("lora_after_step." + name), values.get(i++).toFloatArray());
                    // weights whose |grad| < 1e-8 (105 of 23,040) move by lr * g / (|g| + eps): a gradient off by
                    // 1e-10 shifts them by ~3e-6; the AdamW arithmetic itself is checked exactly below
                    assertTrue(d <= 1e-5, "lora_after_step." + name + ": max abs diff " + d);
                    worstAfter = Math.max(worstAfter, d);
                }
                System.out.printf("parity grad.* (96 tensors)         max relative diff %.3g (tolerance 1e-3)%n",
                        worstGrad);
                System.out.printf("parity lora_after_step.* (96)      max abs diff %.3g (tolerance 1e-5; updates ~3e-4)%n",
                        worstAfter);
            }
        }
    }

    /**
     * The same step through the trainer's own code: {@link TrajectoryBuffer} minibatches, the
     * {@link PolicyUpdate} loss, its 1 / (accumulation x timesteps) scaling and accumulation, the
     * clip and AdamW of {@link OptimizerStep}; only the visiting order is fixed to the reference's
     * (both samples, timesteps in sampling order) instead of the seeded shuffle.
     */
    @Test
    void theTrainersOwnUpdateMatchesTheReference() {
        try (StableDiffusionPipeline pipe = StableDiffusionPipeline.load(Fixtures.tinySd());
                SafetensorsReader ref = SafetensorsReader.open(Fixtures.reference("train_step.safetensors"));
                SafetensorsReader traj = SafetensorsReader.open(Fixtures.reference("pipeline.safetensors"));
                NDManager root = NDManager.newBaseManager();
                NDManager loraManager = NDManager.newBaseManager()) {
            TrainConfig cfg = TrainConfig.resolve(null, List.of("pretrained.model=" + Fixtures.tinySd(),
                    "sample.num_steps=" + T, "sample.guidance_scale=5", "sample.batch_size=2",
                    "sample.num_batches_per_epoch=1", "train.batch_size=2", "train.gradient_accumulation_steps=1",
                    "train.algorithm=is", "train.clip_range=1e-4", "train.adv_clip_max=5", "train.max_grad_norm=1",
                    "train.timestep_fraction=1", "train.num_inner_epochs=1", "lora_rank=4", "lora_alpha=4",
                    // the reference's LoRA init is not the sampling policy: its ratios start near, not at, 1
                    "ratio_tolerance=0.01"));
            TrainSettings settings = TrainSettings.of(cfg);
            LoraLayers lora = LoraLayers.install(pipe.unet(), LoraLayers.ATTENTION_TARGETS, 4, 4.0);
            Map<String, Parameter> params = lora.namedParameters("unet.");
            List<NDArray> values = referenceInit(params, ref, loraManager);
            DiffusionPolicy policy = new DiffusionPolicy(pipe, lora, TrainingSetup.samplingOptions(cfg), true);

            long[] ls = traj.info("latents").shape(); // (B, T+1, C, h, w)
            long[] es = traj.info("prompt_embeds").shape(); // (B, L, D)
            int b = (int) ls[0];
            int perSample = (int) (ls[1] * ls[2] * ls[3] * ls[4]);
            int perEmbed = (int) (es[1] * es[2]);
            float[] latents = traj.floats("latents");
            float[] logProbs = traj.floats("log_probs");
            float[] embeds = traj.floats("prompt_embeds");
            TrajectoryBuffer buffer = new TrajectoryBuffer();
            buffer.describe(new TrajectoryBuffer.Shapes(T, ls[2], ls[3], ls[4], es[1], es[2]), traj.longs("timesteps"),
                    Arrays.copyOf(traj.floats("negative_prompt_embeds"), perEmbed));
            for (int r = 0; r < b; r++) {
                buffer.add(new SampleRecord(r, "", Map.of(), Arrays.copyOfRange(latents, r * perSample,
                        (r + 1) * perSample), Arrays.copyOfRange(logProbs, r * T, (r + 1) * T),
                        Arrays.copyOfRange(embeds, r * perEmbed, (r + 1) * perEmbed)));
            }
            double[] adv = new double[b];
            for (int r = 0; r < b; r++) {
                adv[r] = ref.floats("advantages")[r];
            }
            Trainer.clip(adv, settings.advantages().clipMax());

            AdamW adam = new AdamW(values, settings.optimization().adam(), root);
            PolicyUpdate.VisitOrder inOrder = (epoch, k, n, t) -> {
                int[][] steps = new int[n][];
                for (int i = 0; i < n; i++) {
                    steps[i] = IntStream.range(0, t).toArray();
                }
                return new PolicyUpdate.Visits(IntStream.range(0, n).toArray(), steps);
            };
            RunStops noStops = new RunStops() {
                @Override
                public RuntimeException rewardFailed(int epoch, RewardException cause) {
                    return new IllegalStateException("no reward in this test", cause);
                }

                @Override
                public RuntimeException nonFiniteInARow(String what, String last) {
                    return new IllegalStateException("non-finite: " + what + ", " + last);
                }
            };
            PolicyUpdate update = new PolicyUpdate(policy, settings.optimization(), settings.safety().ratioTolerance(),
                    inOrder, root, new OptimizerStep(root, values, adam, settings.optimization().maxGradNorm()),
                    new NonFiniteGuard(1), noStops, new TrainingListener() {}, null, false, Collective.single());
            Map<String, Double> m = update.run(0, buffer, adv, false);

            assertEquals(1.0, m.get("optimizer_steps"));
            assertEquals(mean(ref.floats("loss_per_timestep")), m.get("loss"), 1e-6, "loss (mean over timesteps)");
            assertEquals(mean(ref.floats("approx_kl_per_timestep")), m.get("approx_kl"), 1e-8, "approx_kl");
            assertEquals(mean(ref.floats("clipfrac_per_timestep")), m.get("clipfrac"), 1e-9, "clipfrac");
            float norm = ref.floats("grad_norm_before_clip")[0];
            assertEquals(norm, m.get("grad_norm"), 1e-4 * norm, "grad norm");
            float[] newLogProbs = ref.floats("new_log_probs");
            double ratio = 0;
            for (int k = 0; k < newLogProbs.length; k++) {
                ratio += Math.exp(newLogProbs[k] - logProbs[k]) / newLogProbs.length;
            }
            assertEquals(ratio, m.get("ratio_at_start"), 1e-6, "ratio at start");
            double worst = 0;
            int i = 0;
            for (String name : params.keySet()) {
                double d = maxAbsDiff(ref.floats("lora_after_step." + name), values.get(i++).toFloatArray());
                assertTrue(d <= 1e-5, "lora_after_step." + name + ": max abs diff " + d);
                worst = Math.max(worst, d);
            }
            System.out.printf("parity trainer update lora_after_step.* max abs diff %.3g (tolerance 1e-5)%n", worst);
        }
    }

    /** Sets each LoRA weight to the reference's initial value, tracked for gradients; returns them in order. */
    private static List<NDArray> referenceInit(Map<String, Parameter> params, SafetensorsReader ref, NDManager m) {
        List<NDArray> values = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            NDArray v = ref.load("lora_init." + e.getKey(), m);
            v.setRequiresGradient(true);
            e.getValue().set(v);
            values.add(v);
        }
        return values;
    }

    private static double mean(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += x;
        }
        return sum / v.length;
    }

    @Test
    void adamWOnTheReferenceGradientsGivesTheReferenceWeights() {
        try (SafetensorsReader ref = SafetensorsReader.open(Fixtures.reference("train_step.safetensors"));
                NDManager m = NDManager.newBaseManager()) {
            List<String> names = ref.keys().stream().filter(k -> k.startsWith("grad.")).map(k -> k.substring(5))
                    .toList();
            assertEquals(96, names.size());
            List<NDArray> params = new ArrayList<>();
            List<NDArray> grads = new ArrayList<>();
            for (String n : names) {
                params.add(ref.load("lora_init." + n, m));
                grads.add(ref.load("grad." + n, m));
            }
            float norm = GradClip.clip(grads, 1.0);
            assertEquals(ref.floats("grad_norm_before_clip")[0], norm, 1e-9, "grad norm of the reference gradients");
            new AdamW(params, AdamW.Options.ddpoDefaults(), m).step(grads);
            double worst = 0;
            for (int i = 0; i < names.size(); i++) {
                worst = Math.max(worst, maxAbsDiff(ref.floats("lora_after_step." + names.get(i)),
                        params.get(i).toFloatArray()));
            }
            // one float32 ulp at |w| < 1: torch's vectorized addcdiv fuses the multiply-add, DJL ops round twice
            System.out.printf("parity AdamW on reference grads    max abs diff %.3g (tolerance 6e-8)%n", worst);
            assertTrue(worst <= 6e-8, "AdamW step: max abs diff " + worst);
        }
    }

    /** Rows of latents[:, j] from a (B, T+1, C, h, w) array. */
    private static float[] rows(float[] latents, int b, int steps1, int per, int j) {
        float[] out = new float[b * per];
        for (int r = 0; r < b; r++) {
            System.arraycopy(latents, (r * steps1 + j) * per, out, r * per, per);
        }
        return out;
    }

    private static double maxAbs(float[] v) {
        double max = 0;
        for (float e : v) {
            max = Math.max(max, Math.abs(e));
        }
        return max;
    }
}
