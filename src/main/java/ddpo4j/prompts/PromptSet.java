package ddpo4j.prompts;

import java.util.List;

/**
 * A named, ordered list of prompts with their metadata, for deterministic evaluation: position
 * {@code i} is always the same prompt, so sample seeds derived from it match across runs.
 */
public record PromptSet(String name, List<PromptSample> prompts) {
    public PromptSet {
        prompts = List.copyOf(prompts);
    }

    public int size() {
        return prompts.size();
    }

    public PromptSample get(int i) {
        return prompts.get(i);
    }

    /** The prompt texts in order. */
    public List<String> texts() {
        return prompts.stream().map(PromptSample::prompt).toList();
    }

    /** A prompt function drawing this set's prompts uniformly. */
    public PromptSource uniform() {
        if (prompts.isEmpty()) {
            throw new ddpo4j.Ddpo4jException("prompt set " + name + " is empty");
        }
        return r -> prompts.get(r.nextInt(prompts.size()));
    }
}
