package ddpo4j.models.clip;

import ai.djl.ndarray.NDArray;
import ddpo4j.nn.Module;

/** transformers' {@code CLIPTextModel}: the Stable Diffusion text encoder, prompt ids to hidden states. */
public final class CLIPTextModel extends Module {
    private final CLIPTextConfig config;
    private final CLIPTextTransformer textModel;

    public CLIPTextModel(CLIPTextConfig config) {
        this.config = config;
        this.textModel = child("text_model", new CLIPTextTransformer(config));
    }

    public CLIPTextConfig config() {
        return config;
    }

    /** @param ids (B, L) int64 token ids; returns the last hidden state (B, L, hidden) */
    public NDArray forward(NDArray ids) {
        return textModel.forward(ids);
    }
}
