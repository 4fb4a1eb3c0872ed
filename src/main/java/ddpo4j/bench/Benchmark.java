package ddpo4j.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ddpo4j.nn.LoraLayers;
import ddpo4j.pipeline.SamplingOptions;
import ddpo4j.pipeline.SeededNoise;
import ddpo4j.pipeline.StableDiffusionPipeline;
import ddpo4j.pipeline.Trajectory;
import ddpo4j.rl.DiffusionPolicy;
import ddpo4j.rl.ProcessStats;
import ddpo4j.rl.TrainingListener;
import ddpo4j.schedulers.DDIMStep;
import ddpo4j.tensor.HostArrays;
import ddpo4j.tensor.Scopes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The throughput figures the project reports, measured the reference's way: sampling (batch 4,
 * 20 steps, CFG 5, VAE decode), training (LoRA, CFG: log-prob recomputation and backward over
 * all timesteps), and a whole epoch with ddpo-pytorch's settings; warm-up excluded, median of repeats.
 */
public final class Benchmark {
    /** What to measure. */
    public record Settings(Path model, int steps, int sampleBatch, int trainBatch, int repeats, double guidance) {
        public static Settings reference(Path model) {
            return new Settings(model, 20, 4, 2, 3, 5.0);
        }
    }

    private Benchmark() {}

    public static Map<String, Object> run(Settings s) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", s.model().toString());
        out.put("threads", Engine.getInstance().getVersion() == null ? -1 : threads());
        SamplingOptions opts = new SamplingOptions(s.steps(), s.guidance(), 1.0, 0, 0);
        try (StableDiffusionPipeline pipe = StableDiffusionPipeline.load(s.model());
                NDManager root = NDManager.newBaseManager()) {
            LoraLayers lora = LoraLayers.install(pipe.unet(), LoraLayers.ATTENTION_TARGETS, 4, 4);
            lora.initialize(root, 0);
            List<String> prompts = Collections.nCopies(s.sampleBatch(), "a photo of a cat");
            List<Double> sampling = new ArrayList<>();
            Trajectory kept = null;
            for (int i = 0; i <= s.repeats(); i++) { // first round is warm-up
                long[] idx = new long[s.sampleBatch()];
                Arrays.setAll(idx, k -> k);
                long t0 = System.nanoTime();
                NDManager m = root.newSubManager();
                Trajectory t = pipe.sample(prompts, opts, new SeededNoise(i, idx), m, null);
                double secs = (System.nanoTime() - t0) / 1e9;
                if (i > 0) {
                    sampling.add(s.sampleBatch() / secs);
                }
                if (kept == null) {
                    kept = t;
                } else {
                    m.close();
                }
            }
            out.put("sampling_images_per_s", median(sampling));
            out.put("train_samples_per_s", median(trainRounds(pipe, lora, opts, kept, s, root)));
        }
        long[] faults = new long[1];
        out.put("epoch_seconds", epochSeconds(s, faults));
        out.put("epoch_page_faults", faults[0]);
        out.put("peak_rss_mb", ProcessStats.peakRssMb());
        return out;
    }

    /** Per round: recompute log-probs with CFG and backpropagate over all timesteps of a train batch. */
    private static List<Double> trainRounds(StableDiffusionPipeline pipe, LoraLayers lora, SamplingOptions opts,
            Trajectory t, Settings s, NDManager root) {
        DiffusionPolicy policy = new DiffusionPolicy(pipe, lora, opts, true);
        NDArray[] weights = lora.values();
        for (NDArray w : weights) {
            w.setRequiresGradient(true);
        }
        float[] latents = t.latents().toFloatArray();
        long[] shape = t.latents().getShape().getShape(); // (B, T+1, C, h, w)
        int per = (int) (shape[2] * shape[3] * shape[4]);
        int b = s.trainBatch();
        Shape rows = new Shape(b, shape[2], shape[3], shape[4]);
        NDArray embeds = t.promptEmbeds().get("0:" + b);
        NDArray neg = pipe.encodePrompts(Collections.nCopies(b, ""), root);
        List<Double> rates = new ArrayList<>();
        for (int round = 0; round <= s.repeats(); round++) {
            long t0 = System.nanoTime();
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                for (int j = 0; j < s.steps(); j++) {
                    try (NDManager m = Scopes.step(root, policy.forwardParameters(), embeds, neg)) {
                        float[] xt = new float[b * per];
                        float[] xp = new float[b * per];
                        for (int r = 0; r < b; r++) {
                            System.arraycopy(latents, (int) ((r * shape[1] + j) * per), xt, r * per, per);
                            System.arraycopy(latents, (int) ((r * shape[1] + j + 1) * per), xp, r * per, per);
                        }
                        long[] ts = new long[b];
                        Arrays.fill(ts, t.timesteps()[j]);
                        DDIMStep step = policy.stepLogProb(HostArrays.floats(m, xt, rows), HostArrays.floats(m, xp, rows), ts, embeds, neg);
                        gc.backward(step.logProb().mean());
                    }
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            if (round > 0) {
                rates.add(b / secs);
            }
        }
        return rates;
    }

    /**
     * Seconds of the second epoch of a run with ddpo-pytorch's settings (batches 4 x 2, train batch 2,
     * accumulation 2); {@code faults[0]} gets the process's minor page faults during that epoch (each
     * is a page the kernel zeroed for memory the heap had given back: see {@code tensor.NativeHeap}).
     */
    private static double epochSeconds(Settings s, long[] faults) throws Exception {
        Map<String, Object> last = ReferenceRun.train(s, 2, new TrainingListener() {
            @Override
            public void epochEnd(Map<String, Object> metrics) {
                long now = ProcessStats.minorPageFaults();
                boolean warmUp = ((Number) metrics.get("epoch")).intValue() == 0;
                faults[0] = warmUp ? now : now - faults[0]; // the count at the timed epoch's start, then its own
            }
        }).get(1);
        return ((Number) last.get("seconds_sampling")).doubleValue()
                + ((Number) last.get("seconds_reward_wait")).doubleValue()
                + ((Number) last.get("seconds_training")).doubleValue();
    }

    /**
     * Profiles the second epoch of a reference-settings run with libtorch's profiler (the first is
     * warm-up), writes the Chrome trace to {@code trace} and returns {@link OpProfile}'s summary; with
     * {@code shapes} the trace records every op's input shapes (slower, larger trace).
     */
    public static Map<String, Object> profileEpoch(Settings s, Path trace, boolean shapes) throws Exception {
        long[] started = new long[1];
        double[] wallMs = new double[1];
        ReferenceRun.train(s, 2, new TrainingListener() {
            @Override
            public void epochEnd(Map<String, Object> metrics) {
                if (((Number) metrics.get("epoch")).intValue() == 0) {
                    JniUtils.startProfile(false, shapes, false);
                    started[0] = System.nanoTime();
                } else {
                    wallMs[0] = (System.nanoTime() - started[0]) / 1e6;
                    JniUtils.stopProfile(trace.toAbsolutePath().toString());
                }
            }
        });
        return OpProfile.summarize(trace, wallMs[0]);
    }

    private static int threads() {
        String omp = System.getenv("OMP_NUM_THREADS");
        return omp != null ? Integer.parseInt(omp.strip()) : Runtime.getRuntime().availableProcessors();
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
