package ddpo4j.rewards.registry;

import ddpo4j.rewards.BrightnessReward;
import ddpo4j.rewards.JavaClassReward;
import ddpo4j.rewards.NoSignalReward;
import ddpo4j.rewards.Reward;
import ddpo4j.rewards.RewardException;
import ddpo4j.rewards.RewardFactory;
import ddpo4j.rewards.RewardOptions;
import ddpo4j.rewards.RewardSpec;
import ddpo4j.rewards.aesthetic.AestheticReward;
import ddpo4j.rewards.combine.WeightedSumReward;
import ddpo4j.rewards.combine.WeightedSumSpec;
import ddpo4j.rewards.jpeg.JpegReward;
import ddpo4j.rewards.judge.JudgeReward;
import ddpo4j.rewards.judge.ShapesAestheticReward;
import ddpo4j.rewards.remote.CommandReward;
import ddpo4j.rewards.remote.HttpReward;
import ddpo4j.rewards.vlm.VlmReward;
import ddpo4j.rewards.world.CountAlignmentReward;
import ddpo4j.rewards.world.PreferenceRuleReward;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Builds rewards from spec strings ({@code NAME} or {@code NAME:key=value,...}, and
 * {@code sum:...}, see {@link WeightedSumSpec}) through a name → {@link RewardFactory} table.
 * It sits above the reward kinds it lists, in its own package, so that they depend on the
 * {@code rewards} API and nothing in that API depends on them.
 */
public final class Rewards {
    private static final Map<String, RewardFactory> FACTORIES = new TreeMap<>();

    static {
        // The built-in table: one line per reward name.
        FACTORIES.put(JpegReward.COMPRESSIBILITY, JpegReward.factory(true));
        FACTORIES.put(JpegReward.INCOMPRESSIBILITY, JpegReward.factory(false));
        FACTORIES.put(HttpReward.NAME, HttpReward.factory());
        FACTORIES.put(CommandReward.NAME, CommandReward.factory());
        FACTORIES.put(JavaClassReward.NAME, JavaClassReward.factory());
        FACTORIES.put("brightness", RewardFactory.of(Set.of(), o -> new BrightnessReward()));
        FACTORIES.put(NoSignalReward.NAME, NoSignalReward.factory());
        FACTORIES.put("aesthetic", RewardFactory.of(Set.of("model", "batch_size"),
                o -> AestheticReward.fromOptions(o.asMap())));
        FACTORIES.put("vlm", RewardFactory.of(Set.of("url", "model", "mode", "timeout", "retries",
                "concurrency", "api_key_env", "temperature", "max_tokens", "backoff", "question"),
                o -> VlmReward.fromOptions(o.asMap())));
        FACTORIES.put(CountAlignmentReward.NAME, CountAlignmentReward.factory());
        FACTORIES.put(JudgeReward.NAME, JudgeReward.factory());
        FACTORIES.put(PreferenceRuleReward.NAME, PreferenceRuleReward.factory());
        FACTORIES.put(ShapesAestheticReward.NAME, ShapesAestheticReward.factory());
    }

    private Rewards() {}

    /** Adds a reward name; refuses a name that is taken, so two factories never silently shadow each other. */
    public static synchronized void register(String name, RewardFactory factory) {
        if (name.equals(WeightedSumReward.NAME) || FACTORIES.containsKey(name)) {
            throw new IllegalArgumentException("reward name '" + name + "' is already registered");
        }
        FACTORIES.put(name, factory);
    }

    /** Every name a spec may start with, sorted. */
    public static synchronized SortedSet<String> names() {
        SortedSet<String> out = new TreeSet<>(FACTORIES.keySet());
        out.add(WeightedSumReward.NAME);
        return out;
    }

    /** The reward {@code spec} names, with environment variables (for {@code auth_env}) from the process. */
    public static Reward create(String spec) {
        return create(spec, System::getenv);
    }

    /** As {@link #create(String)}, reading environment variables through {@code environment}. */
    public static Reward create(String spec, Function<String, String> environment) {
        String s = spec == null ? "" : spec.strip();
        if (s.startsWith(WeightedSumReward.NAME + ":")) {
            return createSum(s.substring(WeightedSumReward.NAME.length() + 1), environment);
        }
        RewardSpec parsed = RewardSpec.parse(s);
        RewardFactory factory;
        synchronized (Rewards.class) {
            factory = FACTORIES.get(parsed.name());
        }
        if (factory == null && parsed.name().equals(WeightedSumReward.NAME)) {
            throw new RewardException("reward 'sum' needs its terms after a colon: sum:W*SPEC+W*SPEC+...");
        }
        if (factory == null) {
            throw new RewardException("unknown reward '" + parsed.name() + "' in spec '" + spec + "'; known rewards: "
                    + String.join(", ", names()));
        }
        if (!factory.acceptsAnyKey()) {
            for (String key : parsed.options().keySet()) {
                if (!factory.keys().contains(key)) {
                    throw new RewardException("reward '" + parsed.name() + "': unknown option '" + key + "'; known options: "
                            + (factory.keys().isEmpty() ? "(none)" : String.join(", ", new TreeSet<>(factory.keys()))));
                }
            }
        }
        return factory.create(new RewardOptions(parsed.name(), parsed.options(), environment));
    }

    private static Reward createSum(String body, Function<String, String> environment) {
        List<WeightedSumReward.Component> components = new ArrayList<>();
        try {
            for (WeightedSumSpec.Term t : WeightedSumSpec.parse(body)) {
                components.add(new WeightedSumReward.Component(create(t.spec(), environment), t.weight(), t.normalize()));
            }
            return new WeightedSumReward(components);
        } catch (RuntimeException e) {
            components.forEach(c -> c.reward().close()); // child processes of the components built so far
            throw e;
        }
    }

    /** The option keys {@code name} accepts (empty for rewards taking none). */
    public static synchronized Set<String> keys(String name) {
        RewardFactory f = FACTORIES.get(name);
        return f == null ? Set.of() : f.keys();
    }
}
