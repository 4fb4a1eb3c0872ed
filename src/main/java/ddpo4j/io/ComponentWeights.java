package ddpo4j.io;

import ai.djl.ndarray.NDManager;
import ddpo4j.Ddpo4jException;
import ddpo4j.nn.Module;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * The weights file of one component folder of a diffusers model ({@code unet/}, {@code vae/},
 * {@code text_encoder/}, ...) and its strict loading into a module. Building the models and the
 * pipeline from a whole folder is {@code pipeline}'s job; this class only reads the format.
 */
public final class ComponentWeights {
    private ComponentWeights() {}

    /** Loads {@code <dir>/<stem>.safetensors} (or the {@code .fp16} variant) strictly into {@code module}. */
    public static void load(Module module, Path dir, String stem, NDManager manager,
            UnaryOperator<String> rename) {
        Path weights = file(dir, stem);
        try (SafetensorsReader reader = SafetensorsReader.open(weights)) {
            StateDictLoader.load(module, reader, manager, rename);
        }
    }

    /** {@code <dir>/<stem>.safetensors} or its {@code .fp16} variant; a clear error for sharded or {@code .bin} weights. */
    public static Path file(Path dir, String stem) {
        for (String name : new String[] {stem + ".safetensors", stem + ".fp16.safetensors"}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        if (Files.isRegularFile(dir.resolve(stem + ".safetensors.index.json"))) {
            throw new Ddpo4jException("sharded weights in " + dir + " are not supported yet: merge them into "
                    + stem + ".safetensors");
        }
        if (Files.isRegularFile(dir.resolve(stem.equals("model") ? "pytorch_model.bin" : stem + ".bin"))) {
            throw new Ddpo4jException("only PyTorch .bin weights in " + dir
                    + ": ddpo4j reads safetensors only (convert with safetensors.torch.save_file)");
        }
        throw new Ddpo4jException("missing weights file " + dir.resolve(stem + ".safetensors"));
    }
}
