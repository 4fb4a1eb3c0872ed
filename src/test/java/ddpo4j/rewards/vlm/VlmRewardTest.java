package ddpo4j.rewards.vlm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import ddpo4j.io.ImageFiles;
import ddpo4j.rewards.RewardBatch;
import ddpo4j.rewards.RewardException;
import ddpo4j.rewards.RewardResult;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@code vlm} reward against a real HTTP server on loopback that answers by looking at the pixels. */
class VlmRewardTest {
    private static final int SIZE = 64;
    private static final Map<String, Object> THREE_RED_CIRCLES = Map.of("count", 3, "color", "red", "noun", "circle");

    private VlmStandIn server;

    @BeforeEach
    void start() throws IOException {
        server = new VlmStandIn();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A 64 x 64 light-grey image with {@code red} red and {@code green} green discs of radius 6. */
    static float[] discs(int red, int green) {
        BufferedImage img = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics(); // no antialiasing: flat colours
        g.setColor(new Color(230, 230, 230));
        g.fillRect(0, 0, SIZE, SIZE);
        int k = 0;
        for (int i = 0; i < red + green; i++, k++) {
            int[] c = VlmStandIn.COLORS.get(i < red ? "red" : "green");
            g.setColor(new Color(c[0], c[1], c[2]));
            g.fillOval(4 + (k % 3) * 20, 4 + (k / 3) * 20, 13, 13);
        }
        g.dispose();
        return ImageFiles.toChw(img);
    }

    static RewardBatch batch(List<float[]> images, List<String> prompts, List<Map<String, Object>> metadata) {
        return new RewardBatch(images, SIZE, SIZE, prompts, metadata);
    }

    static RewardBatch countingBatch(List<float[]> images, Map<String, Object> metadata) {
        return batch(images, Collections.nCopies(images.size(), "three red circles"),
                Collections.nCopies(images.size(), metadata));
    }

    private VlmReward reward(String... extra) {
        Map<String, String> o = new HashMap<>(Map.of("url", server.url(), "model", "llava-stand-in",
                "backoff", "0.01", "timeout", "10"));
        for (int i = 0; i < extra.length; i += 2) {
            o.put(extra[i], extra[i + 1]);
        }
        return VlmReward.fromOptions(o);
    }

    private static RewardException failure(VlmReward r, RewardBatch b) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> r.score(b).get(60, TimeUnit.SECONDS));
        return assertInstanceOf(RewardException.class, e.getCause());
    }

    @Test
    void strictScoresCountTheBlobsAgainstMetadataFields() throws Exception {
        List<float[]> images = List.of(discs(3, 0), discs(2, 0), discs(3, 1), discs(0, 3), discs(4, 2), discs(3, 4));
        try (VlmReward r = reward("concurrency", "3")) {
            RewardResult res = r.score(countingBatch(images, THREE_RED_CIRCLES)).get(60, TimeUnit.SECONDS);
            assertArrayEquals(new double[] {1, 0, 1, 0, 0, 1}, res.scores());
            Map<String, Object> info = res.info().get(0);
            assertEquals(List.of("How many red circles are in this image?"), info.get("questions"));
            assertEquals(List.of("There are 3 red circles in this image."), info.get("answers"));
            assertEquals(List.of(true), info.get("satisfied"));
            assertEquals(List.of("There are no red circles in this image."), res.info().get(3).get("answers"));
        }
        assertEquals(6, server.requests.get());
    }

    @Test
    void strictScoreIsTheFractionOfDdpoStyleQuestionsSatisfied() throws Exception {
        // ddpo-pytorch's counting metadata: number words as expected answers
        Map<String, Object> meta = Map.of(
                "questions", List.of("How many red circles are in this image?",
                        "How many green circles are in this image?"),
                "answers", List.of("three", "one"));
        for (boolean words : new boolean[] {false, true}) {
            server.numberWords = words;
            try (VlmReward r = reward()) {
                RewardResult res = r.score(countingBatch(List.of(discs(3, 1), discs(3, 2), discs(1, 1)), meta))
                        .get(60, TimeUnit.SECONDS);
                assertArrayEquals(new double[] {1, 0.5, 0.5}, res.scores(), "number words: " + words);
                assertEquals(List.of(true, false), res.info().get(1).get("satisfied"));
            }
        }
    }

    @Test
    void requestFollowsTheChatCompletionsProtocol() throws Exception {
        try (VlmReward r = reward("temperature", "0.2", "max_tokens", "32",
                "question", "Count the {color} {nouns}: how many {color} {nouns} do you see?")) {
            r.score(countingBatch(List.of(discs(3, 0)), THREE_RED_CIRCLES)).get(60, TimeUnit.SECONDS);
        }
        JsonNode body = server.bodies.get(0);
        assertEquals("llava-stand-in", body.path("model").asText());
        assertEquals(0.2, body.path("temperature").asDouble());
        assertEquals(32, body.path("max_tokens").asInt());
        JsonNode message = body.path("messages").get(0);
        assertEquals("user", message.path("role").asText());
        JsonNode image = message.path("content").get(0);
        assertEquals("image_url", image.path("type").asText());
        assertTrue(image.path("image_url").path("url").asText().startsWith("data:image/png;base64,iVBORw0KGgo"));
        assertEquals("Count the red circles: how many red circles do you see?",
                message.path("content").get(1).path("text").asText());
        assertEquals("", server.authorizations.get(0), "no key configured, no Authorization header");
    }

    @Test
    void describeModeScoresTheAnswerAgainstThePromptWithBertScoreRecall() throws Exception {
        server.fixedAnswer = "Three red circles on a light grey background.";
        float[] img = discs(3, 0);
        try (VlmReward r = reward("mode", "describe")) {
            RewardResult res = r.score(batch(List.of(img, img), List.of("three red circles", "a dog riding a skateboard"),
                    List.of(Map.of(), Map.of()))).get(60, TimeUnit.SECONDS);
            assertTrue(res.scores()[0] > res.scores()[1] + 0.2, res.scores()[0] + " vs " + res.scores()[1]);
            assertEquals("The image contains three red circles", res.info().get(0).get("reference"));
            assertEquals(server.fixedAnswer, res.info().get(0).get("answer"));
            assertEquals(res.scores()[0], (double) res.info().get(0).get("recall"));
        }
        JsonNode q = server.bodies.get(0).path("messages").get(0).path("content").get(1);
        assertEquals(VlmReward.DESCRIBE_QUESTION, q.path("text").asText());
    }

    @Test
    void slowServerTimesOutAfterEveryRetry() {
        server.always = VlmStandIn.Fault.SLOW;
        try (VlmReward r = reward("timeout", "0.3", "retries", "1")) {
            RewardException e = failure(r, countingBatch(List.of(discs(3, 0)), THREE_RED_CIRCLES));
            assertTrue(e.getMessage().contains("no answer within 0.3 s") && e.getMessage().contains("2 attempts")
                    && e.getMessage().contains("sample 0"), e.getMessage());
        }
        assertEquals(2, server.requests.get());
    }

    @Test
    void serverErrorsAreRetriedUntilSuccess() throws Exception {
        server.script.add(VlmStandIn.Fault.ERROR_500);
        server.script.add(VlmStandIn.Fault.ERROR_500);
        try (VlmReward r = reward("retries", "2")) {
            RewardResult res = r.score(countingBatch(List.of(discs(3, 0)), THREE_RED_CIRCLES)).get(60, TimeUnit.SECONDS);
            assertArrayEquals(new double[] {1}, res.scores());
        }
        assertEquals(3, server.requests.get());
    }

    @Test
    void persistentServerErrorsFailNamingTheStatus() {
        server.always = VlmStandIn.Fault.ERROR_500;
        try (VlmReward r = reward("retries", "1")) {
            RewardException e = failure(r, countingBatch(List.of(discs(3, 0)), THREE_RED_CIRCLES));
            assertTrue(e.getMessage().contains("HTTP 500") && e.getMessage().contains("model overloaded"),
                    e.getMessage());
        }
        assertEquals(2, server.requests.get());
    }

    @Test
    void garbageAndMissingChoicesFailWithoutRetrying() {
        server.always = VlmStandIn.Fault.GARBAGE;
        try (VlmReward r = reward("retries", "3")) {
            RewardException e = failure(r, countingBatch(List.of(discs(3, 0)), THREE_RED_CIRCLES));
            assertTrue(e.getMessage().contains("not valid JSON") && e.getMessage().contains("502 Bad Gateway")
                    && e.getMessage().contains("1 attempt"), e.getMessage());
        }
        assertEquals(1, server.requests.get());
        server.always = VlmStandIn.Fault.NO_CHOICES;
        try (VlmReward r = reward("retries", "3")) {
            RewardException e = failure(r, countingBatch(List.of(discs(3, 0)), THREE_RED_CIRCLES));
            assertTrue(e.getMessage().contains("no \"choices\""), e.getMessage());
        }
        assertEquals(2, server.requests.get());
    }

    @Test
    void connectionRefusedIsRetriedThenReported() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (VlmReward r = VlmReward.fromOptions(Map.of("url", "http://127.0.0.1:" + port, "model", "m",
                "retries", "2", "backoff", "0.01"))) {
            RewardException e = failure(r, countingBatch(List.of(discs(3, 0)), THREE_RED_CIRCLES));
            assertTrue(e.getMessage().contains("cannot connect") && e.getMessage().contains("3 attempts"),
                    e.getMessage());
        }
    }

    @Test
    void apiKeyComesFromTheEnvironmentAndIsNeverInMessages() {
        String var = "HOME";
        String secret = System.getenv(var);
        Assumptions.assumeTrue(secret != null && secret.length() > 1, "needs a non-empty HOME to stand in for a key");
        server.always = VlmStandIn.Fault.UNAUTHORIZED;
        try (VlmReward r = reward("api_key_env", var, "retries", "3")) {
            RewardException e = failure(r, countingBatch(List.of(discs(3, 0)), THREE_RED_CIRCLES));
            assertTrue(e.getMessage().contains("HTTP 401"), e.getMessage());
            assertFalse(e.getMessage().contains(secret), "the key must not be in the message");
        }
        assertEquals(1, server.requests.get(), "401 is not retried");
        assertEquals("Bearer " + secret, server.authorizations.get(0));

        RewardException missing = assertThrows(RewardException.class,
                () -> reward("api_key_env", "DDPO4J_SURELY_UNSET_VARIABLE"));
        assertTrue(missing.getMessage().contains("DDPO4J_SURELY_UNSET_VARIABLE"), missing.getMessage());
    }

    @Test
    void metadataWithoutQuestionsFailsBeforeAnyRequest() {
        try (VlmReward r = reward()) {
            List<Map<String, Object>> meta = new ArrayList<>(List.of(THREE_RED_CIRCLES, Map.of("shape", "circle")));
            RewardException e = failure(r, batch(List.of(discs(3, 0), discs(1, 0)), List.of("a", "b"), meta));
            assertTrue(e.getMessage().contains("sample 1"), e.getMessage());
        }
        assertEquals(0, server.requests.get());
    }

    @Test
    void optionsAreCheckedAndUrlsResolved() {
        assertThrows(RewardException.class, () -> VlmReward.fromOptions(Map.of("model", "m")));
        assertThrows(RewardException.class, () -> VlmReward.fromOptions(Map.of("url", server.url())));
        RewardException e = assertThrows(RewardException.class, () -> reward("mode", "lenient"));
        assertTrue(e.getMessage().contains("strict, describe"), e.getMessage());
        e = assertThrows(RewardException.class, () -> reward("concurrenc", "2"));
        assertTrue(e.getMessage().contains("concurrenc"), e.getMessage());
        assertThrows(RewardException.class, () -> VlmReward.fromOptions(Map.of("url", "ftp://x", "model", "m")));

        assertEquals("http://h:8000/v1/chat/completions", ChatCompletionsClient.endpoint("http://h:8000").toString());
        assertEquals("http://h:8000/v1/chat/completions", ChatCompletionsClient.endpoint("http://h:8000/v1/").toString());
        assertEquals("http://h/api/chat/completions", ChatCompletionsClient.endpoint("http://h/api/chat/completions")
                .toString());
        assertEquals("https://h/openai/v1/chat/completions", ChatCompletionsClient.endpoint("https://h/openai/v1")
                .toString());
    }
}
