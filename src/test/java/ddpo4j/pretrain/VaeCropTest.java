package ddpo4j.pretrain;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ddpo4j.Ddpo4jException;
import ddpo4j.io.JsonFile;
import ddpo4j.models.vae.AutoencoderKL;
import ddpo4j.models.vae.AutoencoderKLConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A VAE crop that the latent grid cannot tile, or larger than the images, is refused with one clear error. */
class VaeCropTest {
    @TempDir
    Path tmp;

    @Test
    void cropsMustBeMultiplesOfTheVaeFactorWithinTheImage() {
        Architecture arch = new Architecture(List.of(32, 32, 32), List.of(32), List.of(true), 1, 32, 1);
        JsonFile.write(tmp.resolve("config.json"), arch.vaeConfig(64, 1.0));
        try (NDManager root = NDManager.newBaseManager()) {
            AutoencoderKL vae = new AutoencoderKL(AutoencoderKLConfig.read(tmp.resolve("config.json")));
            Initializer.initialize(vae, root, 1);
            for (int crop : new int[] {30, 68, -4}) {
                Ddpo4jException e = assertThrows(Ddpo4jException.class, () -> VaeTraining.train(vae,
                        new ShapesSdRecipeTest.Squares(), new VaeTraining.Settings(1, 2, 1e-3, 1e-4, 0, crop), root, null,
                        PhaseCheckpoint.none()));
                assertTrue(e.getMessage().contains("multiple of 4 up to 64"), e.getMessage());
            }
        }
    }
}
