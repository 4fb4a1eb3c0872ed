package ddpo4j.replay;

import java.nio.file.Path;

/**
 * One evaluation image with what the proxy and the gold measure make of it (finding g: what the
 * policy draws to fool its judge).
 *
 * @param before the base model's image of the same prompt and noise (epoch 0), with its verdicts
 */
public record JudgedImage(String prompt, Verdicts before, Verdicts after) {
    /** An image file and the two rewards' scores and answers on it. */
    public record Verdicts(Path png, double proxy, String proxySays, double gold, String goldSays) {}
}
