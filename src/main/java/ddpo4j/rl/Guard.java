package ddpo4j.rl;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The over-optimization guard (Black et al. 2023, section 6.4: a learned reward can be gamed).
 * It watches one metric of the evaluation that opens each evaluated epoch, {@code guard.metric}
 * (best one the proxy reward does not see, e.g. {@code eval.counting-heldout.reward_mean} with a gold
 * {@code eval.reward}), remembers its best value, and after {@code guard.patience} evaluations in
 * a row without an improvement of more than {@code guard.min_delta} it alerts: a warning, a stop,
 * or (keep_best) the best policy kept aside as it goes. An evaluation at epoch e measures the
 * policy entering epoch e, i.e. the weights after epoch e - 1.
 */
final class Guard {
    enum Action { WARN, STOP, KEEP_BEST }

    /** What the guard concluded from one evaluation. */
    enum Verdict { NOT_MEASURED, IMPROVED, NO_GAIN, ALERT }

    record Settings(String metric, boolean maximize, Action action, int patience, double minDelta) {
        boolean enabled() {
            return !metric.isEmpty();
        }

        static Action action(String name) {
            return Action.valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    private final Settings s;
    private double best = Double.NaN;
    private int bestEpoch = -1;
    private int sinceBest;

    Guard(Settings settings) {
        this.s = settings;
    }

    Settings settings() {
        return s;
    }

    /** Observes the evaluation of the policy entering {@code epoch}. */
    Verdict observe(int epoch, Map<String, Object> evals) {
        if (!s.enabled() || !(evals.get(s.metric()) instanceof Number n) || !Double.isFinite(n.doubleValue())) {
            return Verdict.NOT_MEASURED;
        }
        double v = n.doubleValue();
        double gain = s.maximize() ? v - best : best - v;
        if (Double.isNaN(best) || gain > s.minDelta()) {
            best = v;
            bestEpoch = epoch;
            sinceBest = 0;
            return Verdict.IMPROVED;
        }
        sinceBest++;
        return sinceBest >= s.patience() ? Verdict.ALERT : Verdict.NO_GAIN;
    }

    /** Rebuilds the state from the metrics lines of a resumed run (its evaluations, in order). */
    void replay(List<Map<String, Object>> lines) {
        for (Map<String, Object> line : lines) {
            if (line.get("epoch") instanceof Number e) {
                observe(e.intValue(), line);
            }
        }
    }

    /** {@code guard.best}, {@code guard.best_epoch}, {@code guard.evals_since_best}; empty while disabled. */
    Map<String, Object> toMetrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (s.enabled() && bestEpoch >= 0) {
            m.put("guard.best", best);
            m.put("guard.best_epoch", bestEpoch);
            m.put("guard.evals_since_best", sinceBest);
        }
        return m;
    }

    /** One line for logs: where the metric peaked and how long ago. */
    String describe() {
        return String.format(Locale.ROOT, "%s peaked at %.4g at epoch %d (the policy after epoch %d); no gain above"
                + " %.3g in the %d evaluations since", s.metric(), best, bestEpoch, bestEpoch - 1, s.minDelta(),
                sinceBest);
    }
}
