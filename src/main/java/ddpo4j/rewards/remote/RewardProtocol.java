package ddpo4j.rewards.remote;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ddpo4j.rewards.Pixels;
import ddpo4j.rewards.RewardBatch;
import ddpo4j.rewards.NonFiniteScoreException;
import ddpo4j.rewards.RewardException;
import ddpo4j.rewards.ScoredBatch;
import java.util.Map;

/**
 * The JSON that the {@code http} and {@code command} rewards speak: request
 * {@code {"prompts": [...], "metadata": [...], "images": [base64 PNG, ...]}}, answer
 * {@code {"scores": [...], "info": [...]}} with {@code info} optional.
 */
public final class RewardProtocol {
    // NaN/Infinity tokens are accepted so that a Python server's float('nan') (json.dumps writes NaN)
    // is reported as a non-finite score of that sample rather than as unreadable JSON.
    static final ObjectMapper JSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private static final int SNIPPET = 200;

    private RewardProtocol() {}

    /** The request for {@code batch}, as one line of JSON (no newline inside, so it also frames the command protocol). */
    public static String request(RewardBatch batch) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode prompts = root.putArray("prompts");
        batch.prompts().forEach(prompts::add);
        ArrayNode metadata = root.putArray("metadata");
        batch.metadata().forEach(m -> metadata.add(JSON.valueToTree(m)));
        ArrayNode images = root.putArray("images");
        for (int i = 0; i < batch.size(); i++) {
            images.add(Pixels.pngBase64(batch, i));
        }
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new RewardException("cannot encode the reward request as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Reads the answer for samples {@code offset .. offset + count - 1} of a batch. An answer that
     * cannot be used at all (not JSON, no {@code scores}, wrong count) throws; a bad score or info
     * entry fails only its sample. {@code source} names the reward and where the answer came from.
     */
    public static ScoredBatch response(String body, int count, int offset, String source) {
        String where = source + ", " + samples(offset, count) + ": ";
        JsonNode root;
        try {
            root = JSON.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw new RewardException(where + "answer is not JSON: " + snippet(body));
        }
        if (root == null || !root.isObject()) {
            throw new RewardException(where + "answer is not a JSON object: " + snippet(body));
        }
        JsonNode scores = root.get("scores");
        if (scores == null || !scores.isArray()) {
            JsonNode error = root.get("error");
            throw new RewardException(where + "answer has no \"scores\" array"
                    + (error != null ? "; it says: " + snippet(error.asText(error.toString())) : ": " + snippet(body)));
        }
        if (scores.size() != count) {
            throw new RewardException(where + "answered " + scores.size() + " scores for " + count + " samples");
        }
        JsonNode info = root.get("info");
        if (info != null && !info.isNull() && (!info.isArray() || info.size() != count)) {
            throw new RewardException(where + "\"info\" must be a list of " + count + " objects, got "
                    + snippet(info.toString()));
        }
        ScoredBatch.Builder out = new ScoredBatch.Builder(count);
        for (int i = 0; i < count; i++) {
            JsonNode s = scores.get(i);
            JsonNode details = info == null || info.isNull() ? null : info.get(i);
            String at = source + ", sample " + (offset + i) + ": ";
            if (!s.isNumber()) {
                out.fail(i, new RewardException(at + "score " + snippet(s.toString()) + " is not a number"));
            } else if (!Double.isFinite(s.doubleValue())) {
                out.fail(i, new NonFiniteScoreException(at + "score is " + s.doubleValue(), s.doubleValue()));
            } else if (details != null && !details.isNull() && !details.isObject()) {
                out.fail(i, new RewardException(at + "info " + snippet(details.toString()) + " is not a JSON object"));
            } else {
                out.score(i, s.doubleValue(), details == null || details.isNull() ? Map.of() : toMap(details));
            }
        }
        return out.build();
    }

    /** "sample 3" or "samples 0-7", global indices. */
    static String samples(int offset, int count) {
        return count == 1 ? "sample " + offset : "samples " + offset + "-" + (offset + count - 1);
    }

    /** The start of a possibly long text, for error messages. */
    static String snippet(String text) {
        if (text == null || text.isEmpty()) {
            return "(empty)";
        }
        String s = text.strip().replaceAll("\\s+", " ");
        return s.length() <= SNIPPET ? s : s.substring(0, SNIPPET) + "… (" + text.length() + " chars)";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> toMap(JsonNode object) {
        return JSON.convertValue(object, Map.class);
    }
}
