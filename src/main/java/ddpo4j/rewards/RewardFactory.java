package ddpo4j.rewards;

import java.util.Set;
import java.util.function.Function;

/** Builds one kind of reward from its spec options; registered by name in {@code registry.Rewards}. */
public interface RewardFactory {
    /** The option keys this reward accepts; the registry refuses any other key before calling {@link #create}. */
    Set<String> keys();

    /** True if any key is accepted (a user class receiving its own options); {@link #keys} is then ignored. */
    default boolean acceptsAnyKey() {
        return false;
    }

    Reward create(RewardOptions options);

    /** A factory accepting exactly {@code keys}. */
    static RewardFactory of(Set<String> keys, Function<RewardOptions, Reward> create) {
        Set<String> known = Set.copyOf(keys);
        return new RewardFactory() {
            @Override
            public Set<String> keys() {
                return known;
            }

            @Override
            public Reward create(RewardOptions options) {
                return create.apply(options);
            }
        };
    }
}
