package ddpo4j.io;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import ddpo4j.Ddpo4jException;
import ddpo4j.models.clip.CLIPTextConfig;
import ddpo4j.models.clip.CLIPTextModel;
import ddpo4j.models.clip.CLIPVisionConfig;
import ddpo4j.models.clip.CLIPVisionModelWithProjection;
import ddpo4j.models.unet.UNet2DConditionConfig;
import ddpo4j.models.unet.UNet2DConditionModel;
import ddpo4j.models.vae.AutoencoderKL;
import ddpo4j.models.vae.AutoencoderKLConfig;
import ddpo4j.schedulers.DDIMScheduler;
import ddpo4j.schedulers.DDIMSchedulerConfig;
import ddpo4j.testing.FuzzScratch;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Any bytes given as a {@code config.json} to every model config reader, as
 * {@code StableDiffusionPipeline.load} and the aesthetic reward use them: read, then the
 * shape-only module tree (or the noise schedule) built from it. Each either succeeds or fails
 * with a Ddpo4jException naming the file: never another exception, and no allocation or module
 * count that a few bytes of JSON can blow up.
 * Seeds: {@code ModelConfigFuzzTestInputs/readAndBuildEveryModel/} (real configs and broken ones).
 */
class ModelConfigFuzzTest {
    private static final FuzzScratch SCRATCH = new FuzzScratch("config-fuzz");

    /** Reads a config file and builds what ddpo4j builds from it. */
    private static final List<Consumer<Path>> LOADERS = List.of(
            file -> new UNet2DConditionModel(UNet2DConditionConfig.read(file)),
            file -> new AutoencoderKL(AutoencoderKLConfig.read(file)),
            file -> new CLIPTextModel(CLIPTextConfig.read(file)),
            file -> new CLIPVisionModelWithProjection(CLIPVisionConfig.read(file)),
            file -> new DDIMScheduler(DDIMSchedulerConfig.read(file)));

    @FuzzTest(maxDuration = "30s")
    void readAndBuildEveryModel(byte[] json) {
        Path file = SCRATCH.write("config.json", json);
        for (Consumer<Path> loader : LOADERS) {
            try {
                loader.accept(file);
            } catch (Ddpo4jException refused) {
                assertTrue(refused.getMessage().contains(file.toString()), "message lacks the file: " + refused.getMessage());
            }
        }
    }
}
