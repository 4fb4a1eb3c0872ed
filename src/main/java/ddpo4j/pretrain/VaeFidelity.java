package ddpo4j.pretrain;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ddpo4j.io.ComponentWeights;
import ddpo4j.io.SafetensorsReader;
import ddpo4j.models.vae.AutoencoderKL;
import ddpo4j.models.vae.AutoencoderKLConfig;
import ddpo4j.tensor.HostArrays;
import ddpo4j.tensor.Scopes;
import ddpo4j.world.Detection;
import ddpo4j.world.SceneGenerator;
import ddpo4j.world.ShapeDetector;
import ddpo4j.world.ShapeGroup;
import ddpo4j.world.WorldConfig;
import ddpo4j.world.WorldSample;
import ddpo4j.tensor.InPlace;
import java.nio.file.Path;
import java.util.List;

/**
 * How much of the shapes world survives a VAE's encode-decode round trip, judged by the gold
 * detector against the ground truth: an upper bound on what any denoiser working in that latent
 * space can reach (a UNet cannot draw what the decoder cannot show). Measures colour, kind and count
 * accuracy with the model card's definitions, on generated one-group scenes.
 */
public final class VaeFidelity {
    /** Fractions of images judged right, each over {@code n} images. */
    public record Accuracy(int n, double color, double kind, double count, double all, double mse) {}

    private VaeFidelity() {}

    public static Accuracy measure(AutoencoderKL vae, WorldConfig world, int n, long seed, NDManager root) {
        SceneGenerator gen = new SceneGenerator(world);
        ShapeDetector detector = new ShapeDetector();
        int w = world.width();
        int h = world.height();
        int color = 0;
        int kind = 0;
        int count = 0;
        int all = 0;
        double se = 0;
        for (int i = 0; i < n; i++) {
            WorldSample s = gen.sample(seed, i);
            float[] x = new float[s.image().length];
            for (int k = 0; k < x.length; k++) {
                x[k] = s.image()[k] * 2 - 1;
            }
            float[] y;
            try (NDManager m = Scopes.step(root, vae.parameterValues())) {
                var in = HostArrays.floats(m, x, new Shape(1, 3, h, w));
                y = vae.decode(vae.encode(in).mean()).clip(-1, 1).add(1).div(2).toFloatArray();
            }
            for (int k = 0; k < y.length; k++) {
                double d = (y[k] * 2 - 1) - x[k];
                se += d * d;
            }
            ShapeGroup g = s.scene().spec().groups().get(0);
            Detection d = detector.detect(y, h, w);
            boolean colorOk = !d.shapes().isEmpty() && d.shapes().stream().allMatch(z -> z.color() == g.color());
            boolean kindOk = !d.shapes().isEmpty() && d.shapes().stream().allMatch(z -> z.kind() == g.kind());
            color += colorOk ? 1 : 0;
            kind += kindOk ? 1 : 0;
            count += d.count(g.color()) == g.count() ? 1 : 0;
            all += d.count(g.color(), g.kind()) == g.count() ? 1 : 0;
        }
        return new Accuracy(n, color / (double) n, kind / (double) n, count / (double) n, all / (double) n,
                se / ((double) n * 3 * w * h));
    }

    /**
     * {@code VaeFidelity MODEL_DIR [n] [seed] [supersample] [VAE_CHECKPOINT]}: prints the accuracy of
     * MODEL_DIR/vae, or of a pretraining run's phase-1 checkpoint ({@code vae.safetensors}) under way,
     * with MODEL_DIR the run's --out (for the config).
     */
    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 12345;
        int ss = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        try (NDManager root = NDManager.newBaseManager()) {
            AutoencoderKL vae = new AutoencoderKL(AutoencoderKLConfig.read(dir.resolve("vae/config.json")));
            if (args.length > 4) {
                // phase 1 checkpoints the VAE's parameters in order as param.NNNN
                Initializer.initialize(vae, root, 0);
                List<NDArray> values = List.of(vae.parameterValues());
                try (SafetensorsReader r = SafetensorsReader.open(Path.of(args[4]))) {
                    for (int i = 0; i < values.size(); i++) {
                        InPlace.copy(values.get(i), r.load(String.format("param.%04d", i), root));
                    }
                    System.out.println("checkpoint after " + r.metadata().get("ddpo4j.pretrain.steps_done") + " steps");
                }
            } else {
                ComponentWeights.load(vae, dir.resolve("vae"), "diffusion_pytorch_model", root, AutoencoderKL::canonicalKey);
            }
            WorldConfig world = WorldConfig.DEFAULT.withSupersample(ss);
            System.out.println(measure(vae, world, n, seed, root));
        }
    }

}
