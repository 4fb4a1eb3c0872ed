package ddpo4j.testing;

import ddpo4j.models.unet.UNet2DConditionConfig;
import ddpo4j.models.unet.UNet2DConditionModel;
import ddpo4j.models.vae.AutoencoderKL;
import ddpo4j.models.vae.AutoencoderKLConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Very small diffusers networks built from config files, for tests that need the real module
 * tree (gradient checks, memory loops) but no checkpoint. Fill them with {@link RandomWeights}.
 */
public final class TinyModels {
    /** UNet config: channels [8, 16], 4 norm groups, 2 heads, context width 8, one layer per block. */
    public static final String UNET_CONFIG = """
            {
              "_class_name": "UNet2DConditionModel",
              "in_channels": 4,
              "out_channels": 4,
              "block_out_channels": [8, 16],
              "down_block_types": ["CrossAttnDownBlock2D", "DownBlock2D"],
              "up_block_types": ["UpBlock2D", "CrossAttnUpBlock2D"],
              "layers_per_block": 1,
              "norm_num_groups": 4,
              "attention_head_dim": 2,
              "cross_attention_dim": 8,
              "sample_size": 8
            }
            """;

    /** VAE config: channels [8, 16] (one 2x upsampler), 4 norm groups, 4 latent channels. */
    public static final String VAE_CONFIG = """
            {
              "_class_name": "AutoencoderKL",
              "in_channels": 3,
              "out_channels": 3,
              "block_out_channels": [8, 16],
              "down_block_types": ["DownEncoderBlock2D", "DownEncoderBlock2D"],
              "up_block_types": ["UpDecoderBlock2D", "UpDecoderBlock2D"],
              "layers_per_block": 1,
              "latent_channels": 4,
              "norm_num_groups": 4,
              "sample_size": 16
            }
            """;

    private TinyModels() {}

    /** A tiny UNet read from {@code dir/unet/config.json} (written there first); parameters unset. */
    public static UNet2DConditionModel unet(Path dir) {
        return new UNet2DConditionModel(UNet2DConditionConfig.read(write(dir.resolve("unet"), UNET_CONFIG)));
    }

    /** A tiny VAE read from {@code dir/vae/config.json} (written there first); parameters unset. */
    public static AutoencoderKL vae(Path dir) {
        return new AutoencoderKL(AutoencoderKLConfig.read(write(dir.resolve("vae"), VAE_CONFIG)));
    }

    private static Path write(Path folder, String json) {
        try {
            Files.createDirectories(folder);
            return Files.writeString(folder.resolve("config.json"), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
