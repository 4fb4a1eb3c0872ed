package ddpo4j.replay;

import java.util.List;
import java.util.Map;

/**
 * A training run of the replay (one per seed): a bundled config, the keys it overrides, and the
 * findings read from it.
 *
 * @param name folder name under the replay's output, and the name {@code --only} selects
 * @param config a train config file (in a plan file: relative to the plan's folder)
 * @param set overrides, as {@code --set} would give them
 */
public record Experiment(String name, String config, Map<String, String> set, List<Finding> findings) {
    public Experiment {
        set = Map.copyOf(set == null ? Map.of() : set);
        findings = List.copyOf(findings);
        if (!name.matches("[a-z0-9-]+")) {
            throw new IllegalArgumentException("experiment name must be lower case letters, digits and '-': " + name);
        }
    }
}
