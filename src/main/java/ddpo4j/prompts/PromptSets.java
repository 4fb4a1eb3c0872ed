package ddpo4j.prompts;

import ddpo4j.Ddpo4jException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Named prompt sets for evaluation: {@code counting-train} (40), {@code counting-heldout} (8),
 * {@code counting-all} (48) from {@link CountingPrompts}, and the paper's lists from
 * {@link PaperPrompts}: {@code simple_animals} (45), {@code imagenet_animals} (398),
 * {@code imagenet_all} (1000), {@code imagenet_dogs} (118), {@code nouns_activities} (135). In a
 * name, '-' and '_' are interchangeable.
 */
public final class PromptSets {
    private static final Map<String, Supplier<List<PromptSample>>> SETS = new LinkedHashMap<>();

    static {
        SETS.put("counting-train", () -> CountingPrompts.split("train"));
        SETS.put("counting-heldout", () -> CountingPrompts.split("heldout"));
        SETS.put("counting-all", () -> CountingPrompts.split("all"));
        // counts never trained on: train on counts 1-3 (prompt_fn_kwargs.max_count=3), evaluate 4
        SETS.put("counting-count1to3", () -> CountingPrompts.split("all", List.of(), 1, 3));
        SETS.put("counting-count4", () -> CountingPrompts.split("all", List.of(), 4, 4));
        SETS.put("counting-two-groups", CountingPrompts::twoGroups);
        SETS.put("simple_animals", () -> plain(PaperPrompts.simpleAnimals()));
        SETS.put("imagenet_animals", () -> plain(PaperPrompts.imagenetAnimals()));
        SETS.put("imagenet_all", () -> plain(PaperPrompts.imagenetAll()));
        SETS.put("imagenet_dogs", () -> plain(PaperPrompts.imagenetDogs()));
        SETS.put("nouns_activities", () -> plain(PaperPrompts.nounsActivities("simple_animals.txt", "activities.txt")));
    }

    private PromptSets() {}

    /** The set names, in a fixed order. */
    public static List<String> names() {
        return List.copyOf(SETS.keySet());
    }

    /** Whether {@code name} names a set. */
    public static boolean exists(String name) {
        return canonical(name) != null;
    }

    /** The set called {@code name}. */
    public static PromptSet get(String name) {
        String key = canonical(name);
        if (key == null) {
            throw new Ddpo4jException("unknown prompt set \"" + name + "\" (known: " + String.join(", ", names())
                    + "; or give a prompt file)");
        }
        return new PromptSet(key, SETS.get(key).get());
    }

    /**
     * A set name, or else a prompt file (one prompt per line, {@link PromptFile}); a file's
     * prompts carry no metadata (rewards such as count_alignment then parse the prompt text).
     */
    public static PromptSet resolve(String nameOrFile) {
        if (exists(nameOrFile)) {
            return get(nameOrFile);
        }
        Path p = Path.of(nameOrFile);
        if (!Files.isRegularFile(p)) {
            throw new Ddpo4jException("\"" + nameOrFile + "\" is neither a prompt set (" + String.join(", ", names())
                    + ") nor a prompt file");
        }
        List<String> lines = PromptFile.read(p);
        if (lines.isEmpty()) {
            throw new Ddpo4jException("prompt file " + p + " has no prompts");
        }
        return new PromptSet(p.toString(), plain(lines));
    }

    private static String canonical(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        for (String key : SETS.keySet()) {
            if (key.replace('_', '-').equals(n.replace('_', '-'))) {
                return key;
            }
        }
        return null;
    }

    private static List<PromptSample> plain(List<String> prompts) {
        return prompts.stream().map(PromptSample::of).toList();
    }
}
