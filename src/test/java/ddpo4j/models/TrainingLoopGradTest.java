package ddpo4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ddpo4j.models.unet.UNet2DConditionModel;
import ddpo4j.nn.Gradients;
import ddpo4j.tensor.Scopes;
import ddpo4j.testing.RandomWeights;
import ddpo4j.testing.TinyModels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory discipline the trainer relies on: parameters in a capped manager (any stray
 * allocation there throws), each step's forward, backward, gradient norm, update and zeroing in
 * one {@link Scopes#step}, and nothing accumulating anywhere over 200 steps.
 */
class TrainingLoopGradTest {
    private static final int STEPS = 200;
    private static final float LR = 0.05f;

    @TempDir
    Path dir;

    @Test
    void cappedParametersSurviveManyScopedTrainingSteps() {
        UNet2DConditionModel unet = TinyModels.unet(dir);
        try (NDManager root = NDManager.newBaseManager()) {
            NDManager weights = root.newSubManager();
            NDArray[] params = RandomWeights.fill(unet, weights, DataType.FLOAT32, 5);
            Gradients.track(params);
            weights.cap();
            // The batch lives in the caller's manager, as a trajectory batch would for an epoch.
            NDArray sample = RandomWeights.normal(root, DataType.FLOAT32, new Shape(2, 4, 8, 8), 6, 1.0);
            NDArray context = RandomWeights.normal(root, DataType.FLOAT32, new Shape(2, 3, 8), 7, 1.0);
            NDArray target = RandomWeights.normal(root, DataType.FLOAT32, new Shape(2, 4, 8, 8), 8, 1.0);
            int rootArrays = -1;
            float firstLoss = Float.NaN;
            float loss = Float.NaN;
            for (int i = 0; i < STEPS; i++) {
                try (NDManager s = Scopes.step(root, params, sample, context, target)) {
                    NDArray t = s.create(new long[] {1 + (37L * i) % 999, 999 - (53L * i) % 999});
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray mse = unet.forward(sample, t, context).sub(target).square().mean();
                        collector.backward(mse);
                        loss = mse.getFloat();
                    }
                    double norm = Gradients.globalNorm(params);
                    assertTrue(Double.isFinite(norm) && norm > 0, "step " + i + ": gradient norm " + norm);
                    // Plain SGD, outside the collector. Inside a step scope a bare getGradient()
                    // handle belongs to the step and dies with it.
                    for (NDArray p : params) {
                        p.subi(p.getGradient().mul(LR));
                    }
                    Gradients.zero(params);
                }
                if (i == 0) {
                    firstLoss = loss;
                }
                if (i == 9) {
                    rootArrays = root.getManagedArrays().size();
                }
            }
            assertEquals(params.length, weights.getManagedArrays().size(), "nothing attached to the weights");
            assertEquals(rootArrays, root.getManagedArrays().size(), "nothing accumulating in the caller's manager");
            assertTrue(loss < firstLoss, "SGD on the fixed batch lowers the loss: " + firstLoss + " -> " + loss);
            System.out.printf("capped training loop: %d steps, loss %.4f -> %.4f%n", STEPS, firstLoss, loss);
        }
    }
}
