package ddpo4j.schedulers;

import static ddpo4j.tensor.GradientCheck.project;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ddpo4j.tensor.GradientCheck;
import ddpo4j.testing.RandomWeights;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The DDPO policy gradient flows through {@code DDIMScheduler.step}'s log-probability of a recorded
 * x_{t-1} into the model output (the mean path); these check d logProb / d modelOutput, and
 * d logProb / d x_t, by central differences. Rows use t = 901 and t = 1 (the last step, whose
 * previous alpha is alphas_cumprod[0]).
 */
class DDIMLogProbGradTest {
    private static final long[] TIMESTEPS = {901, 1};
    private static final Shape SHAPE = new Shape(2, 4, 4, 4);

    private static DDIMScheduler scheduler(String predictionType) {
        DDIMSchedulerConfig sd = DDIMSchedulerConfig.stableDiffusion();
        DDIMScheduler s = new DDIMScheduler(new DDIMSchedulerConfig(sd.numTrainTimesteps(), sd.betaStart(),
                sd.betaEnd(), sd.betaSchedule(), sd.clipSample(), sd.clipSampleRange(), sd.setAlphaToOne(),
                sd.stepsOffset(), predictionType, sd.timestepSpacing(), false));
        s.setTimesteps(10);
        return s;
    }

    /** modelOutput, sample and a prevSample drawn by the step itself, in {@code dtype}. */
    private static Map<String, NDArray> trajectory(NDManager m, DDIMScheduler s, DataType dtype) {
        NDArray modelOutput = RandomWeights.normal(m, dtype, SHAPE, 1, 1.0);
        NDArray sample = RandomWeights.normal(m, dtype, SHAPE, 2, 1.0);
        NDArray noise = RandomWeights.normal(m, dtype, SHAPE, 3, 1.0);
        NDArray prev = s.step(modelOutput, TIMESTEPS, sample, 1.0, null, noise).prevSample();
        // A slightly different policy produced the recorded sample, as after an update.
        Map<String, NDArray> in = new LinkedHashMap<>();
        in.put("modelOutput", modelOutput.add(RandomWeights.normal(m, dtype, SHAPE, 4, 0.1)));
        in.put("sample", sample);
        in.put("prevSample", prev);
        return in;
    }

    @Test
    void logProbGradientInFloat64() {
        for (String prediction : new String[] {"epsilon", "v_prediction"}) {
            DDIMScheduler s = scheduler(prediction);
            try (NDManager m = NDManager.newBaseManager()) {
                Map<String, NDArray> t = trajectory(m, s, DataType.FLOAT64);
                NDArray prev = t.remove("prevSample");
                NDArray logProb = s.step(t.get("modelOutput"), TIMESTEPS, t.get("sample"), 1.0, prev, null).logProb();
                assertEquals(DataType.FLOAT64, logProb.getDataType(), "the step computes in its inputs' dtype");
                GradientCheck.of("DDIM logProb float64 " + prediction,
                        a -> project(s.step(a[0], TIMESTEPS, a[1], 1.0, prev, null).logProb())).check(t);
            }
        }
    }

    @Test
    void logProbGradientInFloat32AsTrainingRunsIt() {
        DDIMScheduler s = scheduler("epsilon");
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> t = trajectory(m, s, DataType.FLOAT32);
            NDArray prev = t.remove("prevSample");
            NDArray sample = t.remove("sample");
            assertEquals(DataType.FLOAT32, s.step(t.get("modelOutput"), TIMESTEPS, sample, 1.0, prev, null)
                    .logProb().getDataType());
            // log N(prev; mean, std^2) is quadratic in modelOutput, so a large step has no truncation
            // error and rises above float32 rounding (|logProb| is large at t = 1, where std is tiny).
            GradientCheck.of("DDIM logProb float32 wrt modelOutput",
                            a -> project(s.step(a[0], TIMESTEPS, sample, 1.0, prev, null).logProb()))
                    .step(0.05).tolerance(1e-2).absoluteFloor(1e-4).coordinates(8).check(t);
        }
    }
}
