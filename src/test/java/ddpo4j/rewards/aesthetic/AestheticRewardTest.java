package ddpo4j.rewards.aesthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ddpo4j.Ddpo4jException;
import ddpo4j.io.SafetensorsReader;
import ddpo4j.rewards.RewardBatch;
import ddpo4j.rewards.RewardException;
import ddpo4j.rewards.RewardResult;
import ddpo4j.tensor.Scopes;
import ddpo4j.testing.Fixtures;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole {@code aesthetic} reward on a tiny random CLIPModel saved by transformers (with its
 * text tower), against ddpo-pytorch's scorer run on the same weights and images
 * ({@code src/test/resources/aesthetic/tiny-clip/make_fixture.py}).
 */
class AestheticRewardTest {
    @TempDir
    Path tmp;

    private static Path fixture() {
        try {
            return Path.of(AestheticRewardTest.class.getResource("/aesthetic/tiny-clip").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RewardBatch batch(float[] images, int n, int h, int w) {
        int per = 3 * h * w;
        List<float[]> list = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] one = new float[per];
            System.arraycopy(images, i * per, one, 0, per);
            list.add(one);
        }
        return new RewardBatch(list, h, w, java.util.Collections.nCopies(n, "a photo"),
                java.util.Collections.nCopies(n, Map.of()));
    }

    @Test
    void scoresMatchDdpoPytorchsScorer() throws Exception {
        try (SafetensorsReader ref = SafetensorsReader.open(fixture().resolve("reference.safetensors"))) {
            RewardBatch batch = batch(ref.floats("images"), 2, 40, 56);
            float[] expected = ref.floats("scores");
            for (String batchSize : new String[] {"8", "1"}) {
                try (AestheticReward reward = AestheticReward.fromOptions(
                        Map.of("model", fixture().toString(), "batch_size", batchSize))) {
                    assertEquals("aesthetic", reward.name());
                    RewardResult result = reward.score(batch).get();
                    float[] got = {(float) result.scores()[0], (float) result.scores()[1]};
                    Fixtures.assertClose(expected, got, 1e-5, "aesthetic score, batch_size " + batchSize);
                    assertEquals(2, result.info().size());
                }
            }
        }
    }

    @Test
    void imageEmbeddingsMatchGetImageFeatures() throws Exception {
        try (AestheticPredictor p = AestheticPredictor.load(fixture());
                SafetensorsReader ref = SafetensorsReader.open(fixture().resolve("reference.safetensors"));
                NDManager m = NDManager.newBaseManager();
                NDManager s = Scopes.step(m, p.clip().parameterValues())) {
            NDArray pixels = s.create(ref.floats("pixel_values"), new Shape(2, 3, 32, 32));
            Fixtures.assertClose(ref.floats("image_embeds"), p.clip().forward(pixels), 1e-5, "get_image_features");
        }
    }

    @Test
    void headHasThePredictorsKeysAndSize() {
        AestheticMLP mlp = new AestheticMLP(768);
        // 768*1024+1024 + 1024*128+128 + 128*64+64 + 64*16+16 + 16+1: 3.7 MB in float32, as the .pth
        assertEquals(927_969L, mlp.parameterCount());
        assertEquals(java.util.List.of("layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias",
                "layers.4.weight", "layers.4.bias", "layers.6.weight", "layers.6.bias", "layers.7.weight",
                "layers.7.bias"), java.util.List.copyOf(mlp.namedParameters().keySet()));
        assertEquals(new Shape(1024, 768), mlp.namedParameters().get("layers.0.weight").shape());
        assertEquals(new Shape(1, 16), mlp.namedParameters().get("layers.7.weight").shape());
    }

    @Test
    void badOptionsAndFoldersAreNamed() throws IOException {
        RewardException e = assertThrows(RewardException.class, () -> AestheticReward.fromOptions(Map.of()));
        assertTrue(e.getMessage().contains("model="), e.getMessage());
        e = assertThrows(RewardException.class,
                () -> AestheticReward.fromOptions(Map.of("model", fixture().toString(), "batchsize", "2")));
        assertTrue(e.getMessage().contains("batchsize") && e.getMessage().contains("batch_size"), e.getMessage());
        e = assertThrows(RewardException.class,
                () -> AestheticReward.fromOptions(Map.of("model", fixture().toString(), "batch_size", "0")));
        assertTrue(e.getMessage().contains("batch_size=0"), e.getMessage());

        Files.copy(fixture().resolve("config.json"), tmp.resolve("config.json"));
        Files.copy(fixture().resolve("model.safetensors"), tmp.resolve("model.safetensors"));
        Ddpo4jException missing = assertThrows(Ddpo4jException.class, () -> AestheticPredictor.load(tmp));
        assertTrue(missing.getMessage().contains("aesthetic_mlp.safetensors"), missing.getMessage());
        assertThrows(Ddpo4jException.class, () -> AestheticPredictor.load(tmp.resolve("absent")));
    }
}
