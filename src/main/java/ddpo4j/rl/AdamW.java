package ddpo4j.rl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ddpo4j.tensor.GradMode;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code torch.optim.AdamW} (single-tensor path, amsgrad off) with PyTorch's exact operation order,
 * so that one step matches the reference to float32 rounding. DJL's own AdamW differs.
 */
public final class AdamW {
    /** Hyper-parameters, ddpo-pytorch's defaults in {@link #ddpoDefaults()}. */
    public record Options(double lr, double beta1, double beta2, double weightDecay, double eps) {
        public static Options ddpoDefaults() {
            return new Options(3e-4, 0.9, 0.999, 1e-4, 1e-8);
        }
    }

    private final Options options;
    private double lr;
    private final List<NDArray> params;
    private final List<NDArray> expAvg = new ArrayList<>();
    private final List<NDArray> expAvgSq = new ArrayList<>();
    private long step;

    /** State arrays (first and second moments) are created in {@code stateManager}. */
    public AdamW(List<NDArray> params, Options options, NDManager stateManager) {
        this.options = options;
        this.lr = options.lr();
        this.params = List.copyOf(params);
        for (NDArray p : params) {
            expAvg.add(stateManager.zeros(p.getShape(), p.getDataType()));
            expAvgSq.add(stateManager.zeros(p.getShape(), p.getDataType()));
        }
    }

    public Options options() {
        return options;
    }

    public long stepCount() {
        return step;
    }

    public List<NDArray> firstMoments() {
        return expAvg;
    }

    public List<NDArray> secondMoments() {
        return expAvgSq;
    }

    /**
     * The learning rate of the next steps (and of the decoupled weight decay), as PyTorch's
     * {@code param_groups[...]["lr"]}: a schedule sets it before each step; it is no state to save.
     */
    public void setLearningRate(double lr) {
        this.lr = lr;
    }

    public double learningRate() {
        return lr;
    }

    /** Restores the step count (moments are restored in place through the moment lists). */
    public void setStepCount(long step) {
        this.step = step;
    }

    /**
     * One update with the given gradients (same order as the parameters). Must run outside a
     * gradient collector: it writes the parameters in place.
     */
    public void step(List<NDArray> grads) {
        GradMode.off(); // the calling thread may never have had it turned off (see GradMode)
        step++;
        // StrictMath: HotSpot's Math.pow intrinsic may differ by an ulp from the interpreter's, which made
        // the first runs of a JVM differ from later ones; fdlibm's result is the same everywhere
        double bc1 = 1 - StrictMath.pow(options.beta1(), step);
        double bc2Sqrt = Math.sqrt(1 - StrictMath.pow(options.beta2(), step));
        double stepSize = lr / bc1;
        for (int i = 0; i < params.size(); i++) {
            NDArray p = params.get(i);
            NDArray g = grads.get(i);
            NDArray m = expAvg.get(i);
            NDArray v = expAvgSq.get(i);
            p.muli(1 - lr * options.weightDecay()); // decoupled weight decay
            m.muli(options.beta1()).addi(g.mul(1 - options.beta1()));
            v.muli(options.beta2()).addi(g.mul(g).mul(1 - options.beta2()));
            NDArray denom = v.sqrt().div(bc2Sqrt).add(options.eps());
            p.subi(m.div(denom).mul(stepSize));
        }
    }
}
