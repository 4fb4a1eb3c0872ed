package ddpo4j.prompts;

import java.util.SplittableRandom;

/** A prompt function: draws one prompt (with metadata) per call, from the given random stream. */
@FunctionalInterface
public interface PromptSource {
    PromptSample draw(SplittableRandom random);
}
