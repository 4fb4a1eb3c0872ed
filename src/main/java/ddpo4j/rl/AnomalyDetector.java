package ddpo4j.rl;

import ai.djl.ndarray.NDArray;
import ddpo4j.Ddpo4jException;
import ddpo4j.tensor.Finite;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code train.detect_anomaly}: after every backward pass, checks the loss and each trainable
 * gradient and stops the run at the first non-finite value, naming where it arose (the analog of
 * {@code torch.autograd.detect_anomaly}). Gradients accumulate over a window, so the first backward
 * that leaves one non-finite is the one that made it so. Off by default: it costs one native
 * reduction per trainable tensor per backward.
 */
final class AnomalyDetector {
    private final Map<String, NDArray> trainable;

    /** @param trainable the trainable weights (leaves whose gradients accumulate) by diffusers key */
    AnomalyDetector(Map<String, NDArray> trainable) {
        this.trainable = trainable;
    }

    /**
     * @param where the backward just run: its epoch, optimizer step, timestep index and rows
     * @throws Ddpo4jException naming the loss or the parameter (diffusers key) that went non-finite
     */
    void check(NDArray loss, PolicyLoss.Terms terms, Where where) {
        float value = loss.getFloat();
        if (!Float.isFinite(value)) {
            throw new Ddpo4jException("detect_anomaly: the loss is " + value + " at " + where
                    + " (importance ratios " + Arrays.toString(terms.ratio().stopGradient().toFloatArray())
                    + "): a non-finite log-probability, advantage or reward reached it");
        }
        for (Map.Entry<String, NDArray> e : trainable.entrySet()) {
            if (!Finite.isFinite(e.getValue().getGradient())) {
                throw new Ddpo4jException("detect_anomaly: the gradient of " + e.getKey()
                        + " became non-finite in the backward of " + where + " (the loss there was finite: "
                        + value + ")");
            }
        }
    }

    /** One backward pass of the training phase. */
    record Where(int epoch, int optimizerStep, int timestepIndex, int[] rows, int[] trajectorySteps) {
        @Override
        public String toString() {
            return "epoch " + epoch + ", optimizer step " + optimizerStep + ", timestep index " + timestepIndex
                    + ", rows (sample indices) " + Arrays.toString(rows) + " at trajectory steps " + Arrays.toString(trajectorySteps);
        }
    }
}
