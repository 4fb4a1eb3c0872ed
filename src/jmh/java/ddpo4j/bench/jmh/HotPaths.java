package ddpo4j.bench.jmh;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ddpo4j.models.common.Attention;
import ddpo4j.models.unet.UNet2DConditionModel;
import ddpo4j.nn.GroupNorm;
import ddpo4j.nn.LoraLayers;
import ddpo4j.nn.Module;
import ddpo4j.pipeline.StableDiffusionPipeline;
import ddpo4j.schedulers.DDIMScheduler;
import ddpo4j.schedulers.DDIMStep;
import ddpo4j.tensor.HostArrays;
import ddpo4j.tensor.Scopes;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The training loop's hot paths on a real model folder (default: the bundled shapes-sd): a CFG
 * UNet forward (uncond + cond rows in one call), the same with backward into LoRA, the first
 * cross-attention block's attention, the first group norm, and a DDIM step with its log-prob.
 * Run: {@code mvn -q -Pjmh test-compile exec:exec} (README, "Benchmarks").
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xss4m"})
public class HotPaths {
    @Param({"models/shapes-sd"})
    public String model;

    /** Sample rows before CFG doubling (the trainer's train.batch_size). */
    @Param({"4"})
    public int batch;

    private StableDiffusionPipeline pipe;
    private NDManager root;
    private UNet2DConditionModel unet;
    private LoraLayers lora;
    private NDArray latents;
    private NDArray timesteps;
    private NDArray context;
    private Attention attention;
    private NDArray attentionInput;
    private GroupNorm norm;
    private NDArray normInput;
    private DDIMScheduler scheduler;
    private long[] stepTimesteps;

    @Setup(Level.Trial)
    public void setUp() {
        pipe = StableDiffusionPipeline.load(Path.of(model));
        root = NDManager.newBaseManager();
        unet = pipe.unet();
        lora = LoraLayers.install(unet, LoraLayers.ATTENTION_TARGETS, 4, 4);
        lora.initialize(root, 0);
        int rows = 2 * batch;
        long c = unet.config().inChannels();
        long s = unet.config().sampleSize();
        latents = random(new Shape(rows, c, s, s), 1);
        long[] t = new long[rows];
        java.util.Arrays.fill(t, 500);
        timesteps = HostArrays.longs(root, t);
        context = pipe.encodePrompts(java.util.Collections.nCopies(rows, "three red circles"), root);
        attention = first(unet, Attention.class);
        long dim = attention.toQ().inFeatures();
        attentionInput = random(new Shape(rows, s * s / 4, dim), 2);
        norm = first(unet, GroupNorm.class);
        normInput = random(new Shape(rows, norm.parameterValues()[0].getShape().get(0), s, s), 3);
        scheduler = new DDIMScheduler(pipe.schedulerConfig());
        scheduler.setTimesteps(20);
        stepTimesteps = new long[rows];
        java.util.Arrays.fill(stepTimesteps, scheduler.timesteps()[10]);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        root.close();
        pipe.close();
    }

    @Benchmark
    public float unetForward() {
        try (NDManager m = Scopes.step(root, unet.parameterValues(), latents, timesteps, context)) {
            return unet.forward(latents, timesteps, context).getFloat(0, 0, 0, 0);
        }
    }

    @Benchmark
    public float unetForwardBackward() {
        NDArray[] weights = lora.values();
        for (NDArray w : weights) {
            w.setRequiresGradient(true);
        }
        try (GradientCollector gc = Engine.getInstance().newGradientCollector();
                NDManager m = Scopes.step(root, unet.parameterValues(), latents, timesteps, context)) {
            NDArray out = unet.forward(latents, timesteps, context);
            gc.backward(out.square().mean());
            return weights[0].getGradient().getFloat(0, 0);
        }
    }

    @Benchmark
    public float attention() {
        try (NDManager m = Scopes.step(root, attention.parameterValues(), attentionInput, context)) {
            return attention.forward(attentionInput, context).getFloat(0, 0, 0);
        }
    }

    @Benchmark
    public float groupNorm() {
        try (NDManager m = Scopes.step(root, norm.parameterValues(), normInput)) {
            return norm.forward(normInput).getFloat(0, 0, 0, 0);
        }
    }

    @Benchmark
    public float ddimStepLogProb() {
        try (NDManager m = Scopes.step(root, new NDArray[0], latents)) {
            DDIMStep step = scheduler.step(latents, stepTimesteps, latents, 1.0, null, latents);
            return step.logProb().getFloat(0);
        }
    }

    private NDArray random(Shape shape, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[(int) shape.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return HostArrays.floats(root, v, shape);
    }

    private static <T extends Module> T first(Module root, Class<T> type) {
        for (Module m : root.namedModules().values()) {
            if (type.isInstance(m)) {
                return type.cast(m);
            }
        }
        throw new IllegalStateException("no " + type.getSimpleName() + " in the model");
    }
}
