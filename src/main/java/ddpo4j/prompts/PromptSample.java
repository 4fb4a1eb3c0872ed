package ddpo4j.prompts;

import java.util.Map;

/** A prompt and its metadata (what alignment rewards check, e.g. expected counts). */
public record PromptSample(String prompt, Map<String, Object> metadata) {
    public PromptSample {
        metadata = Map.copyOf(metadata);
    }

    public static PromptSample of(String prompt) {
        return new PromptSample(prompt, Map.of());
    }
}
