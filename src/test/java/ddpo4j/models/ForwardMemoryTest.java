package ddpo4j.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ddpo4j.models.unet.UNet2DConditionModel;
import ddpo4j.tensor.Scopes;
import ddpo4j.testing.RandomWeights;
import ddpo4j.testing.TinyModels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A forward pass keeps only what its caller needs: each block's intermediates are freed when the
 * block returns (tensor.LocalScope), not when the sampling or training step ends. Counting the
 * arrays left in the step's manager is a deterministic stand-in for peak memory.
 */
class ForwardMemoryTest {
    @Test
    void unetForwardLeavesFewArraysInTheStep(@TempDir Path dir) {
        UNet2DConditionModel unet = TinyModels.unet(dir);
        try (NDManager root = NDManager.newBaseManager()) {
            NDManager weights = root.newSubManager();
            NDArray[] params = RandomWeights.fill(unet, weights, DataType.FLOAT32, 0);
            weights.cap();
            long size = unet.config().sampleSize();
            NDArray x = root.randomNormal(new Shape(2, unet.config().inChannels(), size, size));
            NDArray t = root.create(new long[] {10, 900});
            NDArray ctx = root.randomNormal(new Shape(2, 7, unet.config().crossAttentionDim()));
            int moduleCalls = unet.namedModules().size();
            try (NDManager step = Scopes.step(root, params, x, t, ctx)) {
                int before = step.getManagedArrays().size();
                NDArray out = unet.forward(x, t, ctx);
                int left = step.getManagedArrays().size() - before;
                System.out.printf("forward memory: %d arrays left in the step by a UNet of %d modules%n", left,
                        moduleCalls);
                assertEquals(x.getShape(), out.getShape());
                assertTrue(left < moduleCalls, left + " arrays outlived their block in a UNet of " + moduleCalls
                        + " modules: intermediates are not freed per block");
            }
        }
    }
}
