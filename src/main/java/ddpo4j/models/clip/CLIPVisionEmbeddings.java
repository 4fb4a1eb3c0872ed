package ddpo4j.models.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ddpo4j.nn.Conv2d;
import ddpo4j.nn.Embedding;
import ddpo4j.nn.Module;
import ddpo4j.nn.Parameter;

/**
 * transformers' {@code CLIPVisionEmbeddings}: non-overlapping patches through a bias-free conv,
 * a learned class token in front, plus a learned absolute position embedding.
 */
public final class CLIPVisionEmbeddings extends Module {
    private final int hiddenSize;
    private final int numPositions;
    private final Parameter classEmbedding;
    private final Conv2d patchEmbedding;
    private final Embedding positionEmbedding;

    public CLIPVisionEmbeddings(CLIPVisionConfig config) {
        this.hiddenSize = config.hiddenSize();
        this.numPositions = config.numPositions();
        this.classEmbedding = parameter("class_embedding", hiddenSize);
        this.patchEmbedding = child("patch_embedding", new Conv2d(config.numChannels(), hiddenSize,
                config.patchSize(), config.patchSize(), 0, false));
        this.positionEmbedding = child("position_embedding", new Embedding(numPositions, hiddenSize));
        optionalBuffer("position_ids", 1, numPositions);
    }

    /** @param pixels (B, C, S, S) normalized pixel values; returns (B, 1 + grid², hidden) */
    public NDArray forward(NDArray pixels) {
        long b = pixels.getShape().get(0);
        NDArray patches = patchEmbedding.forward(pixels); // (B, hidden, g, g)
        patches = patches.reshape(b, hiddenSize, -1).transpose(0, 2, 1); // (B, g², hidden)
        // zeros + class token keeps the activation first, so the result is in the step's manager
        NDArray cls = pixels.getManager().zeros(new Shape(b, 1, hiddenSize)).add(classEmbedding.value()); // (B, 1, hidden)
        NDArray tokens = NDArrays.concat(new NDList(cls, patches), 1); // (B, 1 + g², hidden)
        NDArray positions = pixels.getManager().arange(0, numPositions, 1, DataType.INT64).expandDims(0); // (1, P)
        return tokens.add(positionEmbedding.forward(positions));
    }
}
