package ddpo4j.cli;

import ddpo4j.io.BundledFiles;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The model folder and optional LoRA of every command that samples: a picocli mixin. */
final class ModelArgs {
    @Option(names = "--model", required = true,
            description = "diffusers Stable Diffusion folder, or bundled:shapes-sd for the bundled model")
    String modelSpec;

    @Option(names = "--lora", description = "LoRA weights (pytorch_lora_weights.safetensors or its folder) to apply")
    Path lora;

    @Option(names = "--lora-rank", defaultValue = "0", description = "rank of --lora (default: read from the file)")
    int loraRank;

    /** The model folder, {@code bundled:NAME} resolved to the repository's models/NAME. */
    Path model() {
        return BundledFiles.model(modelSpec);
    }
}
