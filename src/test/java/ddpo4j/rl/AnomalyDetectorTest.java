package ddpo4j.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ddpo4j.Ddpo4jException;
import ddpo4j.tensor.HostArrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnomalyDetectorTest {
    private static final AnomalyDetector.Where WHERE = new AnomalyDetector.Where(3, 1, 4, new int[] {5, 2},
            new int[] {7, 0});

    @Test
    void aFiniteLossWithAnInfiniteGradientNamesTheParameterAndWhere() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = HostArrays.floats(m, new float[] {1f, 4f});
            NDArray b = HostArrays.floats(m, new float[] {0f, 9f}); // d sqrt(x)/dx at 0 is +inf; sqrt(0) is 0
            Map<String, NDArray> weights = new LinkedHashMap<>();
            weights.put("unet.a.lora_A.weight", a);
            weights.put("unet.b.lora_B.weight", b);
            NDArray loss;
            PolicyLoss.Terms terms;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                a.setRequiresGradient(true);
                b.setRequiresGradient(true);
                loss = a.sqrt().sum().add(b.sqrt().sum());
                terms = new PolicyLoss.Terms(loss, loss, 0f, 0f);
                gc.backward(loss);
            }
            Ddpo4jException e = assertThrows(Ddpo4jException.class,
                    () -> new AnomalyDetector(weights).check(loss, terms, WHERE));
            assertEquals("detect_anomaly: the gradient of unet.b.lora_B.weight became non-finite in the backward of"
                    + " epoch 3, optimizer step 1, timestep index 4, rows (sample indices) [5, 2] at trajectory steps"
                    + " [7, 0] (the loss there was finite: 6.0)", e.getMessage());
        }
    }

    @Test
    void aNonFiniteLossIsNamedBeforeAnyGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray ratio = HostArrays.floats(m, new float[] {Float.NaN, 1f});
            NDArray loss = ratio.sum();
            Ddpo4jException e = assertThrows(Ddpo4jException.class, () -> new AnomalyDetector(Map.of())
                    .check(loss, new PolicyLoss.Terms(loss, ratio, 0f, 0f), WHERE));
            assertEquals("detect_anomaly: the loss is NaN at epoch 3, optimizer step 1, timestep index 4, rows (sample"
                    + " indices) [5, 2] at trajectory steps [7, 0] (importance ratios [NaN, 1.0]): a non-finite"
                    + " log-probability, advantage or reward reached it", e.getMessage());
        }
    }

    @Test
    void finiteValuesPass() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = HostArrays.floats(m, new float[] {1f, 4f});
            NDArray loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                a.setRequiresGradient(true);
                loss = a.sqrt().sum();
                gc.backward(loss);
            }
            new AnomalyDetector(Map.of("unet.a", a)).check(loss, new PolicyLoss.Terms(loss, loss, 0f, 0f), WHERE);
        }
    }
}
