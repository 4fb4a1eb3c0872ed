package ddpo4j.eval;

import java.util.Map;

/**
 * One evaluated image: its position in the run ({@code index = promptIndex × samplesPerPrompt + repeat}),
 * its prompt, the seed of its noise generator, its reward and the reward's info.
 */
public record EvalSample(int index, int promptIndex, int repeat, String prompt, long noiseSeed, double reward,
        Map<String, Object> info) {}
