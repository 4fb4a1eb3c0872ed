package ddpo4j.models.clip;

import ai.djl.ndarray.NDArray;
import ddpo4j.nn.Linear;
import ddpo4j.nn.Module;

/**
 * transformers' {@code CLIPVisionModelWithProjection}: the CLIP image tower and its bias-free
 * projection, i.e. what {@code CLIPModel.get_image_features} computes. Its keys are the
 * {@code vision_model.*} and {@code visual_projection.*} subset of a full CLIPModel checkpoint.
 */
public final class CLIPVisionModelWithProjection extends Module {
    private final CLIPVisionConfig config;
    private final CLIPVisionTransformer visionModel;
    private final Linear visualProjection;

    public CLIPVisionModelWithProjection(CLIPVisionConfig config) {
        this.config = config;
        this.visionModel = child("vision_model", new CLIPVisionTransformer(config));
        this.visualProjection = child("visual_projection",
                new Linear(config.hiddenSize(), config.projectionDim(), false));
    }

    public CLIPVisionConfig config() {
        return config;
    }

    /** True for the keys of a CLIPModel checkpoint this model holds (not {@code text_model.*}, {@code logit_scale}…). */
    public static boolean ownsKey(String key) {
        return key.startsWith("vision_model.") || key.startsWith("visual_projection.");
    }

    /** @param pixels (B, C, S, S) CLIP-normalized; returns the image embeddings (B, projection_dim), not normalized */
    public NDArray forward(NDArray pixels) {
        return visualProjection.forward(visionModel.forward(pixels));
    }
}
