package ddpo4j.rewards;

import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

/**
 * The options of one reward spec with typed getters whose errors name the reward and the option,
 * plus the environment lookup (a seam so tests can supply secrets without touching the real one).
 */
public final class RewardOptions {
    private final String reward;
    private final Map<String, String> values;
    private final Function<String, String> environment;

    public RewardOptions(String reward, Map<String, String> values, Function<String, String> environment) {
        this.reward = reward;
        this.values = Map.copyOf(values);
        this.environment = environment;
    }

    /** Options read from a spec, with the process environment. */
    public static RewardOptions of(RewardSpec spec) {
        return new RewardOptions(spec.name(), spec.options(), System::getenv);
    }

    /** The reward's name as written in the spec. */
    public String reward() {
        return reward;
    }

    /** All options as given. */
    public Map<String, String> asMap() {
        return values;
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** A required option. */
    public String string(String key) {
        String v = values.get(key);
        if (v == null || v.isEmpty()) {
            throw error("needs option '" + key + "'");
        }
        return v;
    }

    public String string(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    /** An integer option of at least {@code min}. */
    public int integer(String key, int fallback, int min) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the accepted range
        }
        throw error("option " + key + "=" + v + " must be an integer >= " + min);
    }

    /** A finite, non-negative number of seconds; {@code seconds("timeout", 30)}. */
    public Duration seconds(String key, double fallback) {
        String v = values.get(key);
        if (v == null) {
            return Duration.ofNanos(Math.round(fallback * 1e9));
        }
        try {
            double s = Double.parseDouble(v.strip());
            if (s >= 0 && Double.isFinite(s)) {
                return Duration.ofNanos(Math.round(s * 1e9));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error("option " + key + "=" + v + " must be a number of seconds >= 0");
    }

    /** The value of environment variable {@code name}, or null when unset. */
    public String environment(String name) {
        return environment.apply(name);
    }

    /** A RewardException whose message starts with this reward's name. */
    public RewardException error(String what) {
        return new RewardException("reward '" + reward + "': " + what);
    }
}
