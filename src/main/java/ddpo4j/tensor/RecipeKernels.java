package ddpo4j.tensor;

/**
 * While open, convolutions recorded for a backward pass run their forward on ATen's kernels instead
 * of oneDNN's (slower; the last bits differ): the kernels every bundled model's pretraining recipe
 * was made with, so a recipe rebuilds its model byte for byte. Backward passes run ATen's kernels
 * either way ({@link OneDnnConvolutions}). Process-wide, like libtorch's switch it drives: not for
 * training threads that run beside each other.
 */
public final class RecipeKernels implements AutoCloseable {
    private final boolean before;

    private RecipeKernels() {
        before = OneDnnConvolutions.atenForwardWhileRecording(true);
    }

    public static RecipeKernels open() {
        return new RecipeKernels();
    }

    @Override
    public void close() {
        OneDnnConvolutions.atenForwardWhileRecording(before);
    }
}
