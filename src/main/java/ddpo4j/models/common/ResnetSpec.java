package ddpo4j.models.common;

import ddpo4j.nn.ActivationFunction;

/** How a network builds its resnet blocks: time-embedding width (0 = none), norm groups and eps, activation. */
public record ResnetSpec(long tembChannels, int groups, double eps, ActivationFunction act) {
    public ResnetBlock2D block(long in, long out) {
        return block(in, out, 1.0);
    }

    public ResnetBlock2D block(long in, long out, double outputScaleFactor) {
        return new ResnetBlock2D(in, out, tembChannels, groups, eps, act, outputScaleFactor);
    }
}
