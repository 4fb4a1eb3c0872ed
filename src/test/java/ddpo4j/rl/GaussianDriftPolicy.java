package ddpo4j.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ddpo4j.nn.Parameter;
import ddpo4j.pipeline.NoiseSource;
import ddpo4j.pipeline.Trajectory;
import ddpo4j.schedulers.DDIMStep;
import ddpo4j.tensor.HostArrays;
import ddpo4j.tensor.Scalars;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * A policy whose optimum is known in closed form: a walk of D = 16 independent coordinates,
 * x_T ~ N(0, I), then T Gaussian steps x_{t-1} = x_t + theta + sigma * eps with one scalar drift
 * theta. A step's log-prob is, as DDIM's, the mean over coordinates, so its gradient in theta is
 * mean_d (x_{t-1} - x_t - theta) / sigma^2; the mean of x_0 is N(T theta, (1 + T sigma^2) / D),
 * and a reward that prefers it near {@code target} is maximised by theta = target / T. The
 * "image" is that mean in every channel of a 1x1 RGB image; prompts are ignored.
 */
final class GaussianDriftPolicy implements Policy {
    static final float SIGMA = 0.5f;
    static final int D = 16; // torch-compatible noise comes in blocks of 16
    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

    private final int steps;
    private final float theta0;
    private final Parameter theta;
    private final List<float[]> sampled = new ArrayList<>(); // every trajectory drawn, (T+1) x D values each

    GaussianDriftPolicy(NDManager manager, int steps, float theta0) {
        this.steps = steps;
        this.theta0 = theta0;
        this.theta = Parameter.of(manager.create(new float[] {theta0}));
    }

    float theta() {
        return theta.value().getFloat(0);
    }

    /** The trajectories sampled so far, in order: x_T .. x_0 of each, D values per step. */
    List<float[]> sampled() {
        return sampled;
    }

    @Override
    public Trajectory sample(List<String> prompts, NoiseSource noise, NDManager out, IntConsumer onStep) {
        int b = prompts.size();
        Shape shape = new Shape(b, D, 1, 1);
        long[] timesteps = new long[steps];
        NDArray x = noise.initialLatents(out, shape);
        List<NDArray> xs = new ArrayList<>(List.of(x));
        List<NDArray> logProbs = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            timesteps[i] = steps - 1 - i;
            NDArray next = x.add(theta.value()).add(Scalars.mul(noise.stepNoise(out, i, shape), SIGMA));
            logProbs.add(logProb(x.add(theta.value()), next));
            xs.add(next);
            x = next;
            onStep.accept(i + 1);
        }
        NDArray latents = NDArrays.stack(new NDList(xs), 1); // (B, T+1, D, 1, 1)
        float[] all = latents.toFloatArray();
        int per = (steps + 1) * D;
        for (int r = 0; r < b; r++) {
            float[] row = new float[per];
            System.arraycopy(all, r * per, row, 0, per);
            sampled.add(row);
        }
        NDArray images = x.mean(new int[] {1}, true).repeat(1, 3); // (B, 3, 1, 1): mean of x_0 in every channel
        return new Trajectory(prompts, latents, NDArrays.stack(new NDList(logProbs), 1), timesteps,
                images, out.zeros(new Shape(b, 1, 1)));
    }

    @Override
    public int steps() {
        return steps;
    }

    @Override
    public NDArray emptyPromptStates(NDManager m) {
        return m.zeros(new Shape(1, 1, 1));
    }

    @Override
    public DDIMStep stepLogProb(NDArray latents, NDArray nextLatents, long[] timesteps, NDArray promptStates,
            NDArray emptyStates) {
        NDArray mean = latents.add(theta.value());
        float[] sd = new float[(int) latents.getShape().get(0)];
        Arrays.fill(sd, SIGMA);
        NDArray std = HostArrays.floats(latents.getManager(), sd);
        return new DDIMStep(nextLatents, logProb(mean, nextLatents), mean, std);
    }

    @Override
    public boolean hasReference() {
        return true;
    }

    @Override
    public NDArray referenceMean(NDArray latents, NDArray nextLatents, long[] timesteps, NDArray promptStates,
            NDArray emptyStates) {
        return latents.add(HostArrays.floats(latents.getManager(), new float[] {theta0}));
    }

    /** Per row: the mean over coordinates of log N(next; mean, sigma^2), differentiable in mean. */
    private static NDArray logProb(NDArray mean, NDArray next) {
        NDArray d = next.stopGradient().sub(mean).reshape(mean.getShape().get(0), -1);
        return Scalars.mul(d.square().mean(new int[] {1}), -0.5 / (SIGMA * SIGMA))
                .sub(HostArrays.floats(d.getManager(), new float[] {(float) (Math.log(SIGMA) + LOG_SQRT_2PI)}));
    }

    @Override
    public Map<String, Parameter> trainableParameters() {
        return Map.of("theta", theta);
    }

    @Override
    public NDArray[] forwardParameters() {
        return new NDArray[] {theta.value()};
    }
}
