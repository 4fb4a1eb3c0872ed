package ddpo4j.tensor;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.ThreadFactory;

/**
 * libtorch's grad mode is per thread and on by default; DJL turns it off only on the thread that
 * loads the engine. Any other thread that runs models (a reward's worker, a Spark task thread, a
 * test's rank thread) must turn it off first: with it on, in-place updates of trainable weights
 * fail, and every convolution takes the training path of {@link OneDnnConvolutions}, flipping its
 * process-wide switch under another thread's sampling (different kernels: different last bits).
 */
public final class GradMode {
    private GradMode() {}

    /** Turns grad mode off on the calling thread (a {@code GradientCollector} turns it on for its life). */
    public static void off() {
        Engine.getInstance(); // loads libtorch if nothing has yet
        JniUtils.setGradMode(false);
    }

    /** Daemon threads named {@code name} that start with grad mode off. */
    public static ThreadFactory inferenceThreads(String name) {
        return r -> {
            Thread t = new Thread(() -> {
                off();
                r.run();
            }, name);
            t.setDaemon(true);
            return t;
        };
    }
}
