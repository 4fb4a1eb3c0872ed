package ddpo4j.models.clip;

import ai.djl.ndarray.NDArray;
import ddpo4j.nn.Module;
import ddpo4j.nn.ModuleList;

/** transformers' {@code CLIPEncoder}: the stack of {@link CLIPEncoderLayer}s under {@code layers.N}. */
public final class CLIPEncoder extends Module {
    private final ModuleList<CLIPEncoderLayer> layers;

    public CLIPEncoder(CLIPEncoderConfig config) {
        this.layers = child("layers", new ModuleList<>());
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            layers.add(new CLIPEncoderLayer(config));
        }
    }

    /** @param h (B, L, hidden); @param mask (L, L) additive mask, or null to attend everywhere */
    public NDArray forward(NDArray h, NDArray mask) {
        for (CLIPEncoderLayer layer : layers) {
            h = layer.forward(h, mask);
        }
        return h;
    }
}
