package ddpo4j.models.clip;

import ddpo4j.nn.ActivationFunction;

/**
 * What a CLIP transformer encoder needs from its config: the text and vision towers share the
 * layer structure, so {@link CLIPTextConfig} and {@link CLIPVisionConfig} both provide it.
 */
public interface CLIPEncoderConfig {
    int hiddenSize();

    int intermediateSize();

    int numHiddenLayers();

    int numAttentionHeads();

    ActivationFunction hiddenAct();

    double layerNormEps();
}
