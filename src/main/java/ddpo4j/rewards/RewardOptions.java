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
 * The {@code key=value} options of a reward spec ({@code vlm:url=…,mode=strict}), read key by key
 * with typed getters and defaults; {@link #checkNoUnknown()} then refuses any key no getter asked
 * for, so a typo never silently falls back to a default. Errors name the reward and the option.
 */
public final class RewardOptions {
    private final String reward;
    private final Map<String, String> options;
    private final Set<String> seen = new HashSet<>();

    public RewardOptions(String reward, Map<String, String> options) {
        this.reward = reward;
        this.options = Map.copyOf(options);
    }

    private RewardException bad(String key, String expected) {
        return new RewardException("reward '" + reward + "': option " + key + "=" + options.get(key) + " must be "
                + expected);
    }

    private String raw(String key) {
        seen.add(key);
        String v = options.get(key);
        return v == null || v.isBlank() ? null : v.strip();
    }

    public String required(String key) {
        String v = raw(key);
        if (v == null) {
            throw new RewardException("reward '" + reward + "' needs option " + key + "=…");
        }
        return v;
    }

    public String string(String key, String defaultValue) {
        String v = raw(key);
        return v == null ? defaultValue : v;
    }

    /** One of {@code allowed}; the error lists them. */
    public String choice(String key, String defaultValue, String... allowed) {
        String v = string(key, defaultValue);
        if (!Arrays.asList(allowed).contains(v)) {
            throw bad(key, "one of " + String.join(", ", allowed));
        }
        return v;
    }

    public int intValue(String key, int defaultValue, int min) {
        return number(key, defaultValue, Integer::valueOf, n -> n >= min, "an integer >= " + min);
    }

    public double doubleValue(String key, double defaultValue, double min) {
        return number(key, defaultValue, Double::valueOf, d -> Double.isFinite(d) && d >= min, "a number >= " + min);
    }

    private <T> T number(String key, T defaultValue, Function<String, T> parse, Predicate<T> valid, String expected) {
        String v = raw(key);
        if (v == null) {
            return defaultValue;
        }
        try {
            T n = parse.apply(v);
            if (valid.test(n)) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(key, expected);
    }

    /** A duration given in (fractional) seconds, e.g. {@code timeout=30} or {@code timeout=0.5}. */
    public Duration seconds(String key, double defaultSeconds) {
        double s = doubleValue(key, defaultSeconds, 0);
        return Duration.ofNanos(Math.round(s * 1e9));
    }

    /** Refuses options no getter asked for, listing the ones this reward knows. */
    public void checkNoUnknown() {
        List<String> unknown = new ArrayList<>();
        for (String k : new TreeSet<>(options.keySet())) {
            if (!seen.contains(k)) {
                unknown.add(k);
            }
        }
        if (!unknown.isEmpty()) {
            throw new RewardException("reward '" + reward + "': unknown option(s) " + unknown + " (known: "
                    + String.join(", ", new TreeSet<>(seen)) + ")");
        }
    }
}
