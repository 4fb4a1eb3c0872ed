package ddpo4j.replay;

/**
 * One claim of the paper and how the replay measures it on one experiment's runs.
 *
 * @param id the paper's letter (a-g) or another short name; several findings may share a letter
 *     (e.g. the three generalization splits of (e))
 * @param claim the claim in a sentence
 * @param measure how it is read from the runs
 * @param set the eval set it reads ({@code eval.sets} of the experiment)
 * @param direction which way the claim says the measured reward moves: {@code up} or {@code down}
 */
public record Finding(String id, String claim, Measure measure, String set, String direction) {
    /** How a finding is read from its runs. */
    public enum Measure {
        /**
         * The fixed-seed evaluation before the first epoch against the one after the last, sample by
         * sample (same prompts and noise): the paired difference and its standard error.
         */
        PAIRED,
        /**
         * Over-optimization: the trained (proxy) reward keeps rising while the gold evaluation peaks
         * and then falls.
         */
        OVEROPTIMIZATION,
        /**
         * The policy learns to fool its judge: the gap between the proxy reward and the gold monitor on
         * the training samples ({@code reward_mean} minus {@code monitor.mean}) grows.
         */
        PROXY_GAP,
        /**
         * The gold monitor ({@code monitor.mean}, from {@code guard.monitor_reward}) on the training
         * samples, first epochs against last: whether gold follows the trained proxy.
         */
        MONITOR
    }

    public Finding {
        if (!"up".equals(direction) && !"down".equals(direction)) {
            throw new IllegalArgumentException("finding " + id + ": direction must be up or down, got " + direction);
        }
    }

    /** +1 when the claim is that the reward goes up, -1 when down. */
    public int sign() {
        return "up".equals(direction) ? 1 : -1;
    }
}
