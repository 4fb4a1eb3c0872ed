package ddpo4j.prompts;

import ddpo4j.Ddpo4jException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prompt functions by name ({@code prompt_fn}) with their keyword arguments ({@code prompt_fn_kwargs.*}):
 * {@code fixed} (prompt), {@code list} (prompts separated by |), {@code file} (path: one prompt per line),
 * {@code counting} (the shapes world's counting prompts: split, heldout, min_count, max_count), the
 * paper's {@code simple_animals}, {@code imagenet_animals}, {@code imagenet_all}, {@code imagenet_dogs},
 * {@code nouns_activities} (nouns_file, activities_file), and {@code set} (name: any {@link PromptSets}
 * set); each call draws uniformly, as ddpo-pytorch's prompt functions do.
 */
public final class PromptFunctions {
    /** Every prompt function name. */
    public static final List<String> NAMES = List.of("fixed", "list", "file", "counting", "simple_animals",
            "imagenet_animals", "imagenet_all", "imagenet_dogs", "nouns_activities", "set");

    private PromptFunctions() {}

    public static PromptSource create(String name, Map<String, String> kwargs) {
        return switch (name) {
            case "fixed" -> {
                check(name, kwargs, Set.of("prompt"));
                String p = kwargs.getOrDefault("prompt", "a photo of a cat");
                yield r -> PromptSample.of(p);
            }
            case "list" -> {
                check(name, kwargs, Set.of("prompts"));
                yield uniform(name, Arrays.stream(require(name, kwargs, "prompts").split("\\|"))
                        .map(String::strip).filter(s -> !s.isEmpty()).toList());
            }
            case "file" -> {
                check(name, kwargs, Set.of("path"));
                yield uniform(name, PromptFile.read(Path.of(require(name, kwargs, "path"))));
            }
            case "counting" -> {
                check(name, kwargs, Set.of("split", "heldout", "min_count", "max_count"));
                List<String> held = kwargs.containsKey("heldout")
                        ? Arrays.stream(kwargs.get("heldout").split("[|,]")).map(String::strip).filter(s -> !s.isEmpty()).toList()
                        : CountingPrompts.DEFAULT_HELD_OUT;
                yield uniformSamples(name, CountingPrompts.split(kwargs.getOrDefault("split", "train"), held,
                        integer(name, kwargs, "min_count", 1), integer(name, kwargs, "max_count", 4)));
            }
            case "simple_animals", "imagenet_animals", "imagenet_all", "imagenet_dogs" -> {
                check(name, kwargs, Set.of());
                yield PromptSets.get(name).uniform();
            }
            case "nouns_activities" -> {
                check(name, kwargs, Set.of("nouns_file", "activities_file"));
                yield uniform(name, PaperPrompts.nounsActivities(kwargs.getOrDefault("nouns_file", "simple_animals.txt"),
                        kwargs.getOrDefault("activities_file", "activities.txt")));
            }
            case "set" -> {
                check(name, kwargs, Set.of("name"));
                yield PromptSets.get(require(name, kwargs, "name")).uniform();
            }
            default -> throw new Ddpo4jException("unknown prompt_fn \"" + name + "\" (known: " + String.join(", ", NAMES)
                    + ")");
        };
    }

    private static PromptSource uniform(String name, List<String> prompts) {
        if (prompts.isEmpty()) {
            throw new Ddpo4jException("prompt_fn " + name + " has no prompts");
        }
        List<String> copy = List.copyOf(prompts);
        return r -> PromptSample.of(copy.get(r.nextInt(copy.size())));
    }

    private static PromptSource uniformSamples(String name, List<PromptSample> samples) {
        if (samples.isEmpty()) {
            throw new Ddpo4jException("prompt_fn " + name + " has no prompts");
        }
        List<PromptSample> copy = List.copyOf(samples);
        return r -> copy.get(r.nextInt(copy.size()));
    }

    private static int integer(String name, Map<String, String> kwargs, String key, int fallback) {
        String v = kwargs.get(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            throw new Ddpo4jException("prompt_fn " + name + ": prompt_fn_kwargs." + key + "=" + v + " is not an integer");
        }
    }

    private static String require(String name, Map<String, String> kwargs, String key) {
        String v = kwargs.get(key);
        if (v == null || v.isEmpty()) {
            throw new Ddpo4jException("prompt_fn " + name + " needs prompt_fn_kwargs." + key);
        }
        return v;
    }

    private static void check(String name, Map<String, String> kwargs, Set<String> allowed) {
        for (String k : kwargs.keySet()) {
            if (!allowed.contains(k)) {
                throw new Ddpo4jException("prompt_fn " + name + " has no argument prompt_fn_kwargs." + k
                        + " (accepted: " + allowed + ")");
            }
        }
    }
}
