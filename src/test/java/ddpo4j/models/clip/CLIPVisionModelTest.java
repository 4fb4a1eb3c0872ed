package ddpo4j.models.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ddpo4j.Ddpo4jException;
import ddpo4j.io.SafetensorsReader;
import ddpo4j.io.SafetensorsWriter;
import ddpo4j.io.StateDictLoader;
import ddpo4j.nn.Parameter;
import ddpo4j.tensor.Scopes;
import ddpo4j.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A one-layer random CLIP vision tower (image 16, patch 8, hidden 8, 2 heads, projection 4),
 * written with SafetensorsWriter and loaded from a full-CLIPModel-style file, against the same
 * forward computed by hand in double-precision Java loops.
 */
class CLIPVisionModelTest {
    static final int S = 16;
    static final int P = 8;
    static final int G = S / P;
    static final int T = G * G + 1;
    static final int D = 8;
    static final int HEADS = 2;
    static final int FF = 12;
    static final int PROJ = 4;
    static final double EPS = 1e-5;

    @TempDir
    Path tmp;

    static final String CONFIG = """
            {"model_type": "clip_vision_model", "hidden_size": 8, "intermediate_size": 12,
             "num_hidden_layers": 1, "num_attention_heads": 2, "image_size": 16, "patch_size": 8,
             "projection_dim": 4, "hidden_act": "quick_gelu", "layer_norm_eps": 1e-05}""";

    /** Random weights for every key of the model (gaussian x 0.5; norm weights around 1). */
    static Map<String, float[]> randomWeights(CLIPVisionModelWithProjection m, long seed) {
        Random r = new Random(seed);
        Map<String, float[]> w = new HashMap<>();
        m.namedParameters().forEach((k, p) -> {
            float[] v = new float[(int) p.shape().size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (r.nextGaussian() * 0.5 + (k.contains("norm") && k.endsWith("weight") ? 1 : 0));
            }
            w.put(k, v);
        });
        return w;
    }

    @Test
    void forwardMatchesHandComputation() throws IOException {
        Files.writeString(tmp.resolve("config.json"), CONFIG);
        CLIPVisionConfig config = CLIPVisionConfig.read(tmp.resolve("config.json"));
        CLIPVisionModelWithProjection model = new CLIPVisionModelWithProjection(config);
        Map<String, float[]> w = randomWeights(model, 7);

        // A full CLIPModel file also holds the text tower: the key filter must skip it.
        SafetensorsWriter.Builder b = SafetensorsWriter.builder();
        model.namedParameters().forEach((k, p) -> b.put(k, w.get(k), p.shape().getShape()));
        b.put("text_model.embeddings.token_embedding.weight", new float[6], 3, 2);
        b.put("text_projection.weight", new float[4], 2, 2);
        b.put("logit_scale", new float[] {2.6592f});
        b.put("vision_model.embeddings.position_ids", new float[T], 1, T); // a persistent buffer, accepted
        Path file = tmp.resolve("model.safetensors");
        b.write(file, Map.of());

        float[] pixels = new float[2 * 3 * S * S];
        Random r = new Random(3);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) r.nextGaussian();
        }

        try (NDManager params = NDManager.newBaseManager()) {
            try (SafetensorsReader reader = SafetensorsReader.open(file)) {
                StateDictLoader.load(model, reader, params, UnaryOperator.identity(),
                        CLIPVisionModelWithProjection::ownsKey);
            }
            params.cap();
            try (NDManager step = Scopes.step(params, model.parameterValues())) {
                NDArray out = model.forward(step.create(pixels, new Shape(2, 3, S, S)));
                Fixtures.assertShape(new long[] {2, PROJ}, out, "image_embeds");
                float[] expected = new float[2 * PROJ];
                for (int n = 0; n < 2; n++) {
                    double[] e = handForward(w, pixels, n * 3 * S * S);
                    for (int j = 0; j < PROJ; j++) {
                        expected[n * PROJ + j] = (float) e[j];
                    }
                }
                Fixtures.assertClose(expected, out, 1e-5, "tiny CLIP vision vs hand");
            }
        }
    }

    @Test
    void aKeyMissingFromTheVisionSubsetIsNamed() throws IOException {
        Files.writeString(tmp.resolve("config.json"), CONFIG);
        CLIPVisionModelWithProjection model =
                new CLIPVisionModelWithProjection(CLIPVisionConfig.read(tmp.resolve("config.json")));
        Map<String, float[]> w = randomWeights(model, 1);
        SafetensorsWriter.Builder b = SafetensorsWriter.builder();
        model.namedParameters().forEach((k, p) -> {
            if (!k.equals("vision_model.post_layernorm.bias")) {
                b.put(k, w.get(k), p.shape().getShape());
            }
        });
        b.put("vision_model.extra.weight", new float[2], 2);
        Path file = tmp.resolve("model.safetensors");
        b.write(file, Map.of());
        try (NDManager params = NDManager.newBaseManager(); SafetensorsReader reader = SafetensorsReader.open(file)) {
            Ddpo4jException e = assertThrows(Ddpo4jException.class, () -> StateDictLoader.load(model, reader, params,
                    UnaryOperator.identity(), CLIPVisionModelWithProjection::ownsKey));
            assertTrue(e.getMessage().contains("1 missing key(s): vision_model.post_layernorm.bias"), e.getMessage());
            assertTrue(e.getMessage().contains("1 unexpected key(s): vision_model.extra.weight"), e.getMessage());
        }
        for (Parameter p : model.namedParameters().values()) {
            assertEquals(false, p.isSet(), "nothing is allocated when the key sets differ");
        }
    }

    // ---- the reference forward, written out in loops -------------------------------------------

    /** CLIPVisionModelWithProjection on one image (3, S, S) at {@code off}: the (PROJ) image embedding. */
    static double[] handForward(Map<String, float[]> w, float[] px, int off) {
        String e = "vision_model.embeddings.";
        float[] conv = w.get(e + "patch_embedding.weight"); // (D, 3, P, P)
        double[][] h = new double[T][D];
        for (int d = 0; d < D; d++) {
            h[0][d] = w.get(e + "class_embedding")[d];
        }
        for (int gy = 0; gy < G; gy++) {
            for (int gx = 0; gx < G; gx++) {
                for (int d = 0; d < D; d++) {
                    double s = 0;
                    for (int c = 0; c < 3; c++) {
                        for (int i = 0; i < P; i++) {
                            for (int j = 0; j < P; j++) {
                                s += conv[((d * 3 + c) * P + i) * P + j]
                                        * px[off + (c * S + gy * P + i) * S + gx * P + j];
                            }
                        }
                    }
                    h[1 + gy * G + gx][d] = s;
                }
            }
        }
        for (int t = 0; t < T; t++) {
            for (int d = 0; d < D; d++) {
                h[t][d] += w.get(e + "position_embedding.weight")[t * D + d];
            }
        }
        h = layerNorm(h, w, "vision_model.pre_layrnorm");

        String l = "vision_model.encoder.layers.0.";
        double[][] x = layerNorm(h, w, l + "layer_norm1");
        double[][] q = linear(x, w, l + "self_attn.q_proj", D);
        double[][] k = linear(x, w, l + "self_attn.k_proj", D);
        double[][] v = linear(x, w, l + "self_attn.v_proj", D);
        int dh = D / HEADS;
        double[][] attn = new double[T][D];
        for (int head = 0; head < HEADS; head++) {
            for (int i = 0; i < T; i++) {
                double[] scores = new double[T];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < T; j++) {
                    for (int c = 0; c < dh; c++) {
                        scores[j] += q[i][head * dh + c] * k[j][head * dh + c];
                    }
                    scores[j] /= Math.sqrt(dh); // no mask: every patch sees every patch
                    max = Math.max(max, scores[j]);
                }
                double z = 0;
                for (int j = 0; j < T; j++) {
                    scores[j] = Math.exp(scores[j] - max);
                    z += scores[j];
                }
                for (int j = 0; j < T; j++) {
                    for (int c = 0; c < dh; c++) {
                        attn[i][head * dh + c] += scores[j] / z * v[j][head * dh + c];
                    }
                }
            }
        }
        h = add(h, linear(attn, w, l + "self_attn.out_proj", D));
        double[][] f = linear(layerNorm(h, w, l + "layer_norm2"), w, l + "mlp.fc1", FF);
        for (double[] row : f) {
            for (int c = 0; c < FF; c++) {
                row[c] = row[c] / (1 + Math.exp(-1.702 * row[c])); // quick_gelu
            }
        }
        h = add(h, linear(f, w, l + "mlp.fc2", D));

        double[][] pooled = layerNorm(new double[][] {h[0]}, w, "vision_model.post_layernorm");
        float[] proj = w.get("visual_projection.weight"); // (PROJ, D)
        double[] out = new double[PROJ];
        for (int o = 0; o < PROJ; o++) {
            for (int d = 0; d < D; d++) {
                out[o] += proj[o * D + d] * pooled[0][d];
            }
        }
        return out;
    }

    static double[][] layerNorm(double[][] x, Map<String, float[]> w, String name) {
        float[] g = w.get(name + ".weight");
        float[] b = w.get(name + ".bias");
        double[][] out = new double[x.length][];
        for (int t = 0; t < x.length; t++) {
            int n = x[t].length;
            double mean = 0;
            for (double a : x[t]) {
                mean += a / n;
            }
            double var = 0;
            for (double a : x[t]) {
                var += (a - mean) * (a - mean) / n; // biased, as torch
            }
            out[t] = new double[n];
            for (int d = 0; d < n; d++) {
                out[t][d] = (x[t][d] - mean) / Math.sqrt(var + EPS) * g[d] + b[d];
            }
        }
        return out;
    }

    static double[][] linear(double[][] x, Map<String, float[]> w, String name, int outDim) {
        float[] m = w.get(name + ".weight"); // (out, in)
        float[] b = w.get(name + ".bias");
        int in = x[0].length;
        double[][] out = new double[x.length][outDim];
        for (int t = 0; t < x.length; t++) {
            for (int o = 0; o < outDim; o++) {
                double s = b[o];
                for (int i = 0; i < in; i++) {
                    s += m[o * in + i] * x[t][i];
                }
                out[t][o] = s;
            }
        }
        return out;
    }

    static double[][] add(double[][] a, double[][] b) {
        double[][] out = new double[a.length][a[0].length];
        for (int t = 0; t < a.length; t++) {
            for (int d = 0; d < a[0].length; d++) {
                out[t][d] = a[t][d] + b[t][d];
            }
        }
        return out;
    }
}
