package ddpo4j.schedulers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ddpo4j.Ddpo4jException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rescale_betas_zero_snr}: the last training timestep keeps no signal; sampling starts from pure noise. */
class ZeroTerminalSnrTest {
    @TempDir
    Path tmp;

    private DDIMSchedulerConfig config(String prediction, boolean rescale) throws IOException {
        Path f = tmp.resolve(prediction + rescale + ".json");
        Files.writeString(f, "{\"beta_schedule\": \"scaled_linear\", \"beta_start\": 0.00085, \"beta_end\": 0.012,"
                + " \"clip_sample\": false, \"set_alpha_to_one\": false, \"timestep_spacing\": \"trailing\","
                + " \"prediction_type\": \"" + prediction + "\", \"rescale_betas_zero_snr\": " + rescale + "}");
        return DDIMSchedulerConfig.read(f);
    }

    @Test
    void rescaledScheduleEndsAtZeroSignalAndKeepsTheFirstStep() throws IOException {
        float[] plain = new DDIMScheduler(config("v_prediction", false)).alphasCumprod();
        float[] zero = new DDIMScheduler(config("v_prediction", true)).alphasCumprod();
        assertTrue(plain[999] > 0.004, "SD's schedule leaks signal at t=999: " + plain[999]);
        assertEquals(0f, zero[999], 0f);
        // Lin et al. Algorithm 1 in double: sqrt(abar) shifted to 0 at T, scaled to keep t = 0
        double s0 = Math.sqrt(plain[0]);
        double sT = Math.sqrt(plain[999]);
        for (int t = 0; t < 1000; t++) {
            double v = (Math.sqrt(plain[t]) - sT) * s0 / (s0 - sT);
            assertEquals(v * v, zero[t], 2e-6, "t=" + t);
            if (t > 0) {
                assertTrue(zero[t] < zero[t - 1], "decreasing at t=" + t);
            }
        }
    }

    @Test
    void aVPredictionStepFromPureNoiseIsFinite() throws IOException {
        DDIMScheduler s = new DDIMScheduler(config("v_prediction", true));
        long[] steps = s.setTimesteps(20);
        assertEquals(999, steps[0]);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(1, 4, 2, 2));
            NDArray v = m.randomNormal(new Shape(1, 4, 2, 2));
            DDIMStep step = s.step(v, new long[] {999}, x, 1.0, null, m.randomNormal(new Shape(1, 4, 2, 2)));
            for (float f : step.prevSample().toFloatArray()) {
                assertTrue(Float.isFinite(f), "prev sample " + f);
            }
            assertTrue(Float.isFinite(step.logProb().toFloatArray()[0]), "log-prob");
        }
    }

    @Test
    void epsilonPredictionWithZeroTerminalSnrIsRefused() {
        Ddpo4jException e = assertThrows(Ddpo4jException.class, () -> config("epsilon", true));
        assertTrue(e.getMessage().contains("v_prediction"), e.getMessage());
    }
}
