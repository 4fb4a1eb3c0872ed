package ddpo4j.replay;

import java.util.Arrays;
import java.util.Objects;

/**
 * One seed's run along its epochs, as a finding read it: the gold evaluation (with its standard
 * error) and the proxy at the epochs where gold was evaluated, and where the guard fired.
 *
 * @param epochs evaluation epochs (the evaluation at {@code e} scores the policy entering epoch e;
 *     the last is the final evaluation)
 * @param proxy the trained reward's batch mean at that epoch (the last epoch's for the final point)
 * @param guardEpoch the first evaluation at which the run's guard alerted, or -1
 */
public record Curve(long seed, int[] epochs, double[] gold, double[] goldSe, double[] proxy, int guardEpoch) {
    @Override
    public boolean equals(Object o) {
        return o instanceof Curve c && seed == c.seed && guardEpoch == c.guardEpoch && Arrays.equals(epochs, c.epochs)
                && Arrays.equals(gold, c.gold) && Arrays.equals(goldSe, c.goldSe) && Arrays.equals(proxy, c.proxy);
    }

    @Override
    public int hashCode() {
        return Objects.hash(seed, guardEpoch, Arrays.hashCode(epochs), Arrays.hashCode(gold), Arrays.hashCode(proxy));
    }

    @Override
    public String toString() {
        return "Curve[seed=" + seed + ", epochs=" + Arrays.toString(epochs) + ", gold=" + Arrays.toString(gold)
                + ", proxy=" + Arrays.toString(proxy) + ", guardEpoch=" + guardEpoch + "]";
    }

    /** Index of the highest gold value (the first, on ties). */
    int peak() {
        int p = 0;
        for (int i = 1; i < gold.length; i++) {
            if (gold[i] > gold[p]) {
                p = i;
            }
        }
        return p;
    }
}
