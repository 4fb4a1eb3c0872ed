package ddpo4j.models;

import static ddpo4j.testing.Fixtures.assertClose;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ddpo4j.io.SafetensorsReader;
import ddpo4j.pipeline.StableDiffusionPipeline;
import ddpo4j.tensor.Scopes;
import ddpo4j.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Single forwards of the three networks against the PyTorch reference outputs (tolerance 1e-5). */
class ModelParityTest {
    private static final double TOL = 1e-5;
    private static StableDiffusionPipeline pipe;

    @BeforeAll
    static void load() {
        pipe = StableDiffusionPipeline.load(Fixtures.tinySd());
    }

    @AfterAll
    static void close() {
        if (pipe != null) {
            pipe.close();
        }
    }

    @Test
    void textEncoderMatchesReference() {
        try (SafetensorsReader ref = SafetensorsReader.open(Fixtures.reference("text.safetensors"));
                NDManager m = NDManager.newBaseManager();
                NDManager s = Scopes.step(m, pipe.textEncoder().parameterValues())) {
            NDArray ids = ref.load("input_ids", s);
            NDArray out = pipe.textEncoder().forward(ids);
            assertClose(ref.floats("last_hidden_state"), out, TOL, "last_hidden_state");
        }
    }

    @Test
    void unetMatchesReferenceWithPerSampleAndScalarTimesteps() {
        try (SafetensorsReader ref = SafetensorsReader.open(Fixtures.reference("unet.safetensors"));
                NDManager m = NDManager.newBaseManager();
                NDManager s = Scopes.step(m, pipe.unet().parameterValues())) {
            NDArray sample = ref.load("sample", s);
            NDArray context = ref.load("encoder_hidden_states", s);
            NDArray out = pipe.unet().forward(sample, ref.load("timesteps", s), context);
            assertClose(ref.floats("noise_pred"), out, TOL, "noise_pred (t = [901, 1])");
            NDArray out501 = pipe.unet().forward(sample, s.create(501L), context);
            assertClose(ref.floats("noise_pred_t501"), out501, TOL, "noise_pred_t501");
        }
    }

    @Test
    void vaeDecodeMatchesReference() {
        try (SafetensorsReader ref = SafetensorsReader.open(Fixtures.reference("vae.safetensors"));
                NDManager m = NDManager.newBaseManager();
                NDManager s = Scopes.step(m, pipe.vae().parameterValues())) {
            NDArray latents = ref.load("latents", s);
            NDArray decoded = pipe.vae().decode(latents.div(pipe.vae().config().scalingFactor()));
            assertClose(ref.floats("decoded"), decoded, TOL, "decoded");
            assertClose(ref.floats("image"), decoded.div(2).add(0.5).clip(0, 1), TOL, "image");
        }
    }
}
