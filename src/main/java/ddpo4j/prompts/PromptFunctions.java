package ddpo4j.prompts;

import ddpo4j.Ddpo4jException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prompt functions by name ({@code prompt_fn}) with their keyword arguments ({@code prompt_fn_kwargs.*}):
 * {@code fixed} (prompt), {@code list} (prompts separated by |), {@code file} (path: one prompt per line);
 * each call draws uniformly, as ddpo-pytorch's prompt functions do.
 */
public final class PromptFunctions {
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
            default -> throw new Ddpo4jException("unknown prompt_fn \"" + name + "\" (known: fixed, list, file)");
        };
    }

    private static PromptSource uniform(String name, List<String> prompts) {
        if (prompts.isEmpty()) {
            throw new Ddpo4jException("prompt_fn " + name + " has no prompts");
        }
        List<String> copy = List.copyOf(prompts);
        return r -> PromptSample.of(copy.get(r.nextInt(copy.size())));
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
