package ddpo4j.rewards;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The {@code key=value} options of one reward spec, read key by key with typed getters whose
 * errors name the reward and the option; {@link #checkNoUnknown()} refuses any key no getter asked
 * for. The environment lookup is a seam so tests can supply secrets without touching the real one.
 */
public final class RewardOptions {
    private final String reward;
    private final Map<String, String> values;
    private final Function<String, String> environment;
    private final Set<String> seen = new HashSet<>();

    public RewardOptions(String reward, Map<String, String> values, Function<String, String> environment) {
        this.reward = reward;
        this.values = Map.copyOf(values);
        this.environment = environment;
    }

    /** Options with the process environment. */
    public RewardOptions(String reward, Map<String, String> values) {
        this(reward, values, System::getenv);
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
        seen.add(key);
        return values.containsKey(key);
    }

    private String raw(String key) {
        seen.add(key);
        String v = values.get(key);
        return v == null || v.isBlank() ? null : v.strip();
    }

    /** A required option. */
    public String string(String key) {
        String v = raw(key);
        if (v == null) {
            throw error("needs option '" + key + "' (" + key + "=…)");
        }
        return v;
    }

    /** A required option (alias of {@link #string(String)}). */
    public String required(String key) {
        return string(key);
    }

    public String string(String key, String fallback) {
        String v = raw(key);
        return v == null ? fallback : v;
    }

    /** One of {@code allowed}; the error lists them. */
    public String choice(String key, String fallback, String... allowed) {
        String v = string(key, fallback);
        if (!Arrays.asList(allowed).contains(v)) {
            throw error("option " + key + "=" + v + " must be one of " + String.join(", ", allowed));
        }
        return v;
    }

    /** An integer option of at least {@code min}. */
    public int integer(String key, int fallback, int min) {
        return number(key, fallback, Integer::valueOf, n -> n >= min, "an integer >= " + min);
    }

    public int intValue(String key, int fallback, int min) {
        return integer(key, fallback, min);
    }

    /** A finite number of at least {@code min}. */
    public double doubleValue(String key, double fallback, double min) {
        return number(key, fallback, Double::valueOf, d -> Double.isFinite(d) && d >= min, "a number >= " + min);
    }

    /** A finite, non-negative number of seconds; {@code seconds("timeout", 30)}. */
    public Duration seconds(String key, double fallback) {
        double s = number(key, fallback, Double::valueOf, d -> Double.isFinite(d) && d >= 0,
                "a number of seconds >= 0");
        return Duration.ofNanos(Math.round(s * 1e9));
    }

    private <T> T number(String key, T fallback, Function<String, T> parse, Predicate<T> valid, String expected) {
        String v = raw(key);
        if (v == null) {
            return fallback;
        }
        try {
            T n = parse.apply(v);
            if (valid.test(n)) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below with the accepted range
        }
        throw error("option " + key + "=" + v + " must be " + expected);
    }

    /** The value of environment variable {@code name}, or null when unset. */
    public String environment(String name) {
        return environment.apply(name);
    }

    /** Refuses options no getter asked for, listing the ones this reward knows. */
    public void checkNoUnknown() {
        List<String> unknown = new ArrayList<>();
        for (String k : new TreeSet<>(values.keySet())) {
            if (!seen.contains(k)) {
                unknown.add(k);
            }
        }
        if (!unknown.isEmpty()) {
            throw error("unknown option(s) " + unknown + " (known: " + String.join(", ", new TreeSet<>(seen)) + ")");
        }
    }

    /** A RewardException whose message starts with this reward's name. */
    public RewardException error(String what) {
        return new RewardException("reward '" + reward + "': " + what);
    }
}
