package ddpo4j.models.unet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ddpo4j.nn.ActivationFunction;
import ddpo4j.nn.Linear;
import ddpo4j.nn.Module;

/**
 * diffusers' {@code Timesteps} + {@code TimestepEmbedding}: sinusoidal features of the timestep
 * (cos first when {@code flip_sin_to_cos}), then {@code linear_1}, activation, {@code linear_2}.
 */
public final class TimestepEmbedding extends Module {
    private static final double MAX_PERIOD = 10000;

    private final int channels;
    private final boolean flipSinToCos;
    private final double freqShift;
    private final Linear linear1;
    private final Linear linear2;
    private final ActivationFunction act;

    public TimestepEmbedding(int channels, long embedDim, boolean flipSinToCos, double freqShift,
            ActivationFunction act) {
        this.channels = channels;
        this.flipSinToCos = flipSinToCos;
        this.freqShift = freqShift;
        this.linear1 = child("linear_1", new Linear(channels, embedDim, true));
        this.linear2 = child("linear_2", new Linear(embedDim, embedDim, true));
        this.act = act;
    }

    /**
     * @param timesteps (B) any numeric type
     * @return (B, embedDim), in the weights' dtype: the float32 sinusoidal features are cast to it
     *     as diffusers casts them to the sample's dtype
     */
    public NDArray forward(NDArray timesteps) {
        NDArray features = sinusoidal(timesteps).toType(linear1.weight().value().getDataType(), false);
        return linear2.forward(act.apply(linear1.forward(features)));
    }

    /** {@code get_timestep_embedding}, in float32 in the same order of operations as diffusers. */
    NDArray sinusoidal(NDArray timesteps) {
        NDManager m = timesteps.getManager();
        int half = channels / 2;
        NDArray exponent = m.arange(0, half, 1, DataType.FLOAT32).mul(-StrictMath.log(MAX_PERIOD)).div(half - freqShift);
        NDArray args = timesteps.toType(DataType.FLOAT32, false).expandDims(1).mul(exponent.exp().expandDims(0));
        NDArray sin = args.sin();
        NDArray cos = args.cos();
        NDArray emb = flipSinToCos ? cos.concat(sin, 1) : sin.concat(cos, 1); // (B, 2*half)
        if (channels % 2 == 1) {
            emb = emb.concat(m.zeros(new Shape(emb.getShape().get(0), 1)), 1);
        }
        return emb;
    }
}
