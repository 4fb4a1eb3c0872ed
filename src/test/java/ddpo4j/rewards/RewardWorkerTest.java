package ddpo4j.rewards;

import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.Test;

class RewardWorkerTest {
    /** An in-process network reward must not run its convolutions on the training path (see tensor.GradMode). */
    @Test
    void theWorkerThreadRunsWithGradModeOff() throws Exception {
        try (RewardWorker worker = new RewardWorker("test-reward")) {
            assertFalse(worker.submit(JniUtils::isGradMode).get());
        }
    }
}
