package ddpo4j.rl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import ddpo4j.Ddpo4jException;
import java.io.IOException;
import java.util.Map;

/** Rank 0's results (an evaluation's metrics) sent to every rank, as JSON through {@link Collective#allGather}. */
final class LeaderBroadcast {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LeaderBroadcast() {}

    /** Rank 0's {@code map}, on every rank (others pass anything, e.g. an empty map). */
    static Map<String, Object> of(Collective ranks, Map<String, Object> map) {
        if (ranks.size() == 1) {
            return map;
        }
        try {
            byte[] leaders = ranks.allGather(ranks.isLeader() ? JSON.writeValueAsBytes(map) : new byte[0]).get(0);
            return JSON.readValue(leaders, new TypeReference<Map<String, Object>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new Ddpo4jException("rank 0's evaluation could not be read: " + e.getMessage(), e);
        }
    }
}
