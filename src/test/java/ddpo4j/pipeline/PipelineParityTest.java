package ddpo4j.pipeline;

import static ddpo4j.testing.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ddpo4j.io.SafetensorsReader;
import ddpo4j.tensor.Scopes;
import ddpo4j.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The full 10-step CFG pipeline replayed from the reference's recorded noise (tolerance 1e-4). */
class PipelineParityTest {
    private static final double TOL = 1e-4;

    @Test
    void replayedTrajectoryMatchesReference() {
        try (StableDiffusionPipeline pipe = StableDiffusionPipeline.load(Fixtures.tinySd());
                SafetensorsReader ref = SafetensorsReader.open(Fixtures.reference("pipeline.safetensors"));
                NDManager m = NDManager.newBaseManager()) {
            List<String> prompts = List.of("a photo of a cat", "three red circles");
            assertArrayEquals(ref.longs("prompt_ids"), pipe.tokenize(prompts, m).toLongArray(), "prompt_ids");
            assertArrayEquals(ref.longs("negative_prompt_ids"), pipe.tokenize(List.of(""), m).toLongArray());

            long[] latShape = ref.info("latents").shape(); // (B, T+1, C, h, w)
            float[] all = ref.floats("latents");
            int per = (int) (latShape[2] * latShape[3] * latShape[4]);
            float[] init = new float[(int) latShape[0] * per];
            for (int b = 0; b < latShape[0]; b++) {
                System.arraycopy(all, (int) (b * latShape[1] * per), init, b * per, per);
            }
            Shape initShape = new Shape(latShape[0], latShape[2], latShape[3], latShape[4]);
            NoiseSource noise = new ReplayNoise(init, initShape, ref.floats("step_noise"),
                    new Shape(ref.info("step_noise").shape()));

            SamplingOptions opts = new SamplingOptions(10, 5.0, 1.0, 0, 0);
            Trajectory tr = pipe.sample(prompts, opts, noise, m, null);
            assertClose(ref.floats("prompt_embeds"), tr.promptEmbeds(), 1e-5, "prompt_embeds");
            assertArrayEquals(ref.longs("timesteps"), tr.timesteps());
            assertClose(all, tr.latents(), TOL, "latents");
            assertClose(ref.floats("log_probs"), tr.logProbs(), TOL, "log_probs");
            assertClose(ref.floats("image"), tr.images(), TOL, "image");

            try (NDManager s = Scopes.step(m, pipe.unet().parameterValues())) {
                NDArray x0 = s.create(init, initShape);
                NDArray ctx = pipe.encodePrompts(List.of("", ""), s).concat(tr.promptEmbeds(), 0);
                NDArray eps = pipe.guidedNoisePrediction(x0, 901, ctx, opts);
                // eps_u + 5 (eps_c - eps_u) amplifies a single forward's 1e-5 by up to 1 + 2*5 = 11
                assertClose(ref.floats("noise_pred_guided_step0"), eps, 1.1e-4, "noise_pred_guided_step0");
            }
        }
    }
}
