package ddpo4j.schedulers;

import static ddpo4j.testing.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ddpo4j.io.SafetensorsReader;
import ddpo4j.testing.Fixtures;
import org.junit.jupiter.api.Test;

/** The DDIM step with log-prob against ddpo-pytorch's {@code ddim_step_with_logprob} (tolerance 1e-5). */
class DDIMSchedulerParityTest {
    private static final double TOL = 1e-5;

    private static DDIMScheduler scheduler() {
        return new DDIMScheduler(DDIMSchedulerConfig.read(
                Fixtures.tinySd().resolve("scheduler/scheduler_config.json")));
    }

    @Test
    void scheduleAndTimestepsMatch() {
        try (SafetensorsReader ref = SafetensorsReader.open(Fixtures.reference("ddim_step.safetensors"))) {
            DDIMScheduler s = scheduler();
            assertClose(ref.floats("alphas_cumprod"), s.alphasCumprod(), 1e-7, "alphas_cumprod");
            assertEquals(ref.floats("final_alpha_cumprod")[0], s.finalAlphaCumprod(), 0f);
            assertArrayEquals(ref.longs("timesteps_10"), s.setTimesteps(10));
            assertArrayEquals(ref.longs("timesteps_20"), s.setTimesteps(20));
        }
    }

    @Test
    void givenGeneratedAndEta07StepsMatch() {
        try (SafetensorsReader ref = SafetensorsReader.open(Fixtures.reference("ddim_step.safetensors"));
                NDManager m = NDManager.newBaseManager()) {
            DDIMScheduler s = scheduler();
            s.setTimesteps(10);
            var eps = ref.load("model_output", m);
            var x = ref.load("sample", m);
            long[] t = ref.longs("timesteps");

            DDIMStep given = s.step(eps, t, x, 1.0, ref.load("given_prev_sample", m), null);
            assertClose(ref.floats("given.prev_sample"), given.prevSample(), TOL, "given.prev_sample");
            assertClose(ref.floats("given.log_prob"), given.logProb(), TOL, "given.log_prob");

            DDIMStep generated = s.step(eps, t, x, 1.0, null, ref.load("noise", m));
            assertClose(ref.floats("generated.prev_sample"), generated.prevSample(), TOL, "generated.prev_sample");
            assertClose(ref.floats("generated.log_prob"), generated.logProb(), TOL, "generated.log_prob");

            DDIMStep eta07 = s.step(eps, ref.longs("eta07.timesteps"), x, 0.7, ref.load("given_prev_sample", m), null);
            assertClose(ref.floats("eta07.prev_sample"), eta07.prevSample(), TOL, "eta07.prev_sample");
            assertClose(ref.floats("eta07.log_prob"), eta07.logProb(), TOL, "eta07.log_prob");
        }
    }
}
