package ddpo4j.schedulers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link DDIMScheduler#outputGain}: |d mean / d model output| / sigma, checked against step() itself. */
class OutputGainTest {
    @TempDir
    Path tmp;

    private DDIMScheduler scheduler(String prediction, boolean zeroSnr, String spacing, int steps) throws IOException {
        Path f = tmp.resolve(prediction + zeroSnr + spacing + ".json");
        Files.writeString(f, "{\"beta_schedule\": \"scaled_linear\", \"beta_start\": 0.00085, \"beta_end\": 0.012,"
                + " \"clip_sample\": false, \"set_alpha_to_one\": false, \"timestep_spacing\": \"" + spacing + "\","
                + " \"steps_offset\": 1, \"prediction_type\": \"" + prediction + "\", \"rescale_betas_zero_snr\": "
                + zeroSnr + "}");
        DDIMScheduler s = new DDIMScheduler(DDIMSchedulerConfig.read(f));
        s.setTimesteps(steps);
        return s;
    }

    /** The mean's change when the model output moves by delta everywhere, over delta and sigma. */
    private static double finiteDifference(DDIMScheduler s, long t, double eta) {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape shape = new Shape(1, 4, 2, 2);
            NDArray x = m.randomNormal(shape);
            NDArray out = m.randomNormal(shape);
            float delta = 0.01f;
            DDIMStep a = s.step(out, new long[] {t}, x, eta, x, null);
            DDIMStep b = s.step(out.add(delta), new long[] {t}, x, eta, x, null);
            double dMean = b.mean().sub(a.mean()).mean().getFloat() / delta;
            return Math.abs(dMean) / a.std().getFloat();
        }
    }

    @Test
    void matchesTheStepsOwnSensitivityOnBothPredictionTypes() throws IOException {
        for (DDIMScheduler s : new DDIMScheduler[] {scheduler("v_prediction", true, "trailing", 10),
                scheduler("epsilon", false, "leading", 10)}) {
            for (long t : s.timesteps()) {
                double g = s.outputGain(t, 1.0);
                assertEquals(finiteDifference(s, t, 1.0), g, 2e-3 * g + 1e-4,
                        s.config().predictionType() + " t=" + t);
            }
        }
    }

    @Test
    void zeroTerminalSnrGainsSpanTwoHundredfoldAndEndAtTheLastStep() throws IOException {
        DDIMScheduler s = scheduler("v_prediction", true, "trailing", 10);
        long[] ts = s.timesteps();
        double first = s.outputGain(ts[0], 1.0);
        double last = s.outputGain(ts[9], 1.0);
        assertEquals(0.06, first, 0.01);
        assertEquals(11.4, last, 0.1);
        for (int j = 1; j < 10; j++) {
            assertTrue(s.outputGain(ts[j], 1.0) > s.outputGain(ts[j - 1], 1.0), "rising at step " + j);
        }
        // a smaller eta narrows sigma, so every gain grows
        assertTrue(s.outputGain(ts[3], 0.5) > s.outputGain(ts[3], 1.0));
    }
}
