package ddpo4j.tensor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** libtorch's grad mode is per thread: why reward workers and task threads must turn it off. */
class GradModeTest {
    @Test
    void aFreshThreadRecordsUntilTurnedOff() throws Exception {
        Engine.getInstance();
        boolean[] seen = new boolean[1];
        Thread plain = new Thread(() -> seen[0] = JniUtils.isGradMode());
        plain.start();
        plain.join();
        assertTrue(seen[0], "libtorch's default on a new thread: grad mode on (DJL turns it off only where it loads)");
        ExecutorService worker = Executors.newSingleThreadExecutor(GradMode.inferenceThreads("test-inference"));
        try {
            assertFalse(worker.submit(JniUtils::isGradMode).get(), "an inference thread starts with grad mode off");
        } finally {
            worker.shutdown();
        }
        Thread turnedOff = new Thread(() -> {
            GradMode.off();
            seen[0] = JniUtils.isGradMode();
        });
        turnedOff.start();
        turnedOff.join();
        assertFalse(seen[0]);
    }
}
