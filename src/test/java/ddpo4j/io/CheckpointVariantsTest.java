package ddpo4j.io;

import static ddpo4j.testing.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ddpo4j.Ddpo4jException;
import ddpo4j.models.clip.CLIPTextConfig;
import ddpo4j.models.clip.CLIPTextModel;
import ddpo4j.models.vae.AutoencoderKL;
import ddpo4j.models.vae.AutoencoderKLConfig;
import ddpo4j.tensor.Scopes;
import ddpo4j.testing.Fixtures;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints of other diffusers/transformers versions load unchanged and compute the same outputs. */
class CheckpointVariantsTest {
    @TempDir
    Path tmp;

    /** Rewrites a safetensors file with renamed keys (null drops a key); F32 kept. */
    private static Path rewrite(Path src, Path dst, UnaryOperator<String> rename, boolean asConvKernel) {
        SafetensorsWriter.Builder b = SafetensorsWriter.builder();
        try (SafetensorsReader r = SafetensorsReader.open(src)) {
            for (String key : r.keys()) {
                String k = rename.apply(key);
                if (k == null) {
                    continue;
                }
                long[] shape = r.info(key).shape();
                if (asConvKernel && k.matches(".*attentions\\.0\\.(query|key|value|proj_attn)\\.weight")) {
                    shape = new long[] {shape[0], shape[1], 1, 1}; // as the original SD checkpoints store them
                }
                if (r.info(key).dtype() == SafeDType.I64) {
                    b.putLongs(k, r.longs(key), shape);
                } else {
                    b.put(k, r.floats(key), shape);
                }
            }
        }
        b.write(dst, Map.of());
        return dst;
    }

    @Test
    void vaeWithOldAttentionKeysDecodesIdentically() {
        Path dir = Fixtures.tinySd().resolve("vae");
        Path old = rewrite(dir.resolve("diffusion_pytorch_model.safetensors"), tmp.resolve("old.safetensors"),
                k -> k.replace("to_q.", "query.").replace("to_k.", "key.").replace("to_v.", "value.")
                        .replace("to_out.0.", "proj_attn."), true);
        AutoencoderKLConfig cfg = AutoencoderKLConfig.read(dir.resolve("config.json"));
        AutoencoderKL fresh = new AutoencoderKL(cfg);
        AutoencoderKL legacy = new AutoencoderKL(cfg);
        try (NDManager m = NDManager.newBaseManager();
                SafetensorsReader a = SafetensorsReader.open(dir.resolve("diffusion_pytorch_model.safetensors"));
                SafetensorsReader b = SafetensorsReader.open(old)) {
            assertTrue(b.keys().stream().anyMatch(k -> k.endsWith("proj_attn.weight")), "fixture rewritten");
            StateDictLoader.load(fresh, a, m, AutoencoderKL::canonicalKey);
            StateDictLoader.load(legacy, b, m, AutoencoderKL::canonicalKey);
            try (NDManager s = Scopes.step(m, fresh.parameterValues())) {
                s.tempAttachAll(legacy.parameterValues());
                NDArray z = s.randomNormal(new ai.djl.ndarray.types.Shape(1, 4, 8, 8));
                assertClose(fresh.decode(z).toFloatArray(), legacy.decode(z), 0, "decode old vs new keys");
            }
        }
    }

    @Test
    void textEncoderWithAndWithoutPositionIdsBuffer() {
        Path dir = Fixtures.tinySd().resolve("text_encoder");
        Path without = rewrite(dir.resolve("model.safetensors"), tmp.resolve("t.safetensors"),
                k -> k.endsWith("position_ids") ? null : k, false);
        CLIPTextModel model = new CLIPTextModel(CLIPTextConfig.read(dir.resolve("config.json")));
        try (NDManager m = NDManager.newBaseManager();
                SafetensorsReader with = SafetensorsReader.open(dir.resolve("model.safetensors"));
                SafetensorsReader r = SafetensorsReader.open(without)) {
            assertTrue(with.contains("text_model.embeddings.position_ids"));
            StateDictLoader.load(model, with, m, UnaryOperator.identity()); // transformers <= 4.30 files
            StateDictLoader.load(model, r, m, UnaryOperator.identity()); // transformers >= 4.31 files
        }
    }

    @Test
    void strictLoadListsEveryProblemAtOnce() {
        Path dir = Fixtures.tinySd().resolve("text_encoder");
        Path broken = rewrite(dir.resolve("model.safetensors"), tmp.resolve("b.safetensors"),
                k -> k.contains("layers.1.mlp") ? null : k.replace("layers.2.", "layers.9."), false);
        CLIPTextModel model = new CLIPTextModel(CLIPTextConfig.read(dir.resolve("config.json")));
        try (NDManager m = NDManager.newBaseManager(); SafetensorsReader r = SafetensorsReader.open(broken)) {
            Ddpo4jException e = org.junit.jupiter.api.Assertions.assertThrows(Ddpo4jException.class,
                    () -> StateDictLoader.load(model, r, m, UnaryOperator.identity()));
            String msg = e.getMessage();
            assertTrue(msg.contains("b.safetensors") && msg.contains("CLIPTextModel"), msg);
            assertTrue(msg.contains("missing key(s)") && msg.contains("text_model.encoder.layers.1.mlp.fc1.weight")
                    && msg.contains("text_model.encoder.layers.2.self_attn.q_proj.weight"), msg);
            assertTrue(msg.contains("unexpected key(s)") && msg.contains("text_model.encoder.layers.9."), msg);
            assertTrue(m.getManagedArrays().isEmpty(), "nothing allocated when the key sets differ");
        }
    }
}
