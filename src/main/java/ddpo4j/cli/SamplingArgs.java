package ddpo4j.cli;

import ddpo4j.Ddpo4jException;
import ddpo4j.pipeline.SamplingOptions;
import picocli.CommandLine.Option;

/** The sampling options of every command that samples ({@code sample}, {@code eval}): a picocli mixin. */
final class SamplingArgs {
    @Option(names = "--steps", defaultValue = "50", description = "DDIM steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--guidance", defaultValue = "5.0", description = "CFG scale; <= 1 disables (default: ${DEFAULT-VALUE})")
    double guidance;

    @Option(names = "--eta", defaultValue = "1.0", description = "DDIM eta; > 0 for log-probs (default: ${DEFAULT-VALUE})")
    double eta;

    @Option(names = "--seed", defaultValue = "0", description = "run seed; sample k's noise depends only on (seed, k)")
    long seed;

    @Option(names = "--batch-size", defaultValue = "4", description = "images per UNet batch (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--height", defaultValue = "0", description = "image height (default: the model's)")
    int height;

    @Option(names = "--width", defaultValue = "0", description = "image width (default: the model's)")
    int width;

    /** The options as the pipeline takes them; refuses a batch size below 1. */
    SamplingOptions options() {
        if (batchSize < 1) {
            throw new Ddpo4jException("--batch-size must be >= 1");
        }
        return new SamplingOptions(steps, guidance, eta, height, width);
    }
}
