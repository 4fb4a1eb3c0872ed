package ddpo4j.tensor;

import ai.djl.pytorch.jni.JniUtils;

/** What DJL's API does not say about libtorch's autograd state. */
public final class Autograd {
    private Autograd() {}

    /**
     * Whether ops are being recorded for a backward pass (libtorch's grad mode, on inside a DJL
     * {@code GradientCollector}). DJL's {@code NDArray.hasGradient()} cannot tell: it is true only
     * for arrays that will hold a {@code .grad} (leaves and retained), never for intermediates.
     */
    public static boolean isRecording() {
        return JniUtils.isGradMode();
    }
}
