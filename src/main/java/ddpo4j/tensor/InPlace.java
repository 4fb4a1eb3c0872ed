package ddpo4j.tensor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * Copies one array's values into another's own native storage. {@code target.set(Buffer)} looks
 * like the same thing but, on the PyTorch engine, can leave the target pointing at Java memory
 * that the garbage collector later frees or reuses: weights that silently turn to garbage.
 */
public final class InPlace {
    private static final NDIndex ALL = new NDIndex("...");

    private InPlace() {}

    /**
     * {@code target[...] = source}; shapes must match. Run with grad mode off (see {@link GradMode})
     * when the target is a trainable weight: libtorch refuses in-place writes to a leaf that records.
     */
    public static void copy(NDArray target, NDArray source) {
        if (!target.getShape().equals(source.getShape())) {
            throw new IllegalArgumentException("cannot copy an array of shape " + source.getShape()
                    + " into one of shape " + target.getShape());
        }
        target.set(ALL, source);
    }
}
