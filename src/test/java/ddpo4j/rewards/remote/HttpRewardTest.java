package ddpo4j.rewards.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpo4j.rewards.Reward;
import ddpo4j.rewards.RewardBatch;
import ddpo4j.rewards.RewardException;
import ddpo4j.rewards.RewardResult;
import ddpo4j.rewards.ScoredBatch;
import ddpo4j.rewards.TestBatches;
import ddpo4j.rewards.registry.Rewards;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The {@code http} reward against real servers on loopback: scoring, splitting, balancing and every fault case. */
class HttpRewardTest {
    private static final RewardBatch TWO = TestBatches.ofBrightness(0.2, 0.8);

    static Reward http(String options) {
        return Rewards.create("http:" + options, Map.of("REWARD_TOKEN", "Bearer s3cret-t0ken")::get);
    }

    /** The failure of {@code reward.score(batch)}, with its message. */
    static RewardException failure(Reward reward, RewardBatch batch) {
        CompletionException e = assertThrows(CompletionException.class, () -> reward.score(batch).join());
        assertTrue(e.getCause() instanceof RewardException, e.toString());
        return (RewardException) e.getCause();
    }

    @Test
    void scoresWhatTheServerSeesInThePixelsWithPromptsAndMetadata() throws Exception {
        try (RewardServer s = RewardServer.start(RewardServer.BRIGHTNESS); Reward r = http("url=" + s.url())) {
            RewardResult res = r.score(TestBatches.ofBrightness(0.0, 0.5, 1.0)).join();
            assertArrayEquals(new double[] {0, 128 / 255.0, 1}, res.scores(), 1e-12);
            assertEquals("p1", res.info().get(1).get("prompt"));
            assertEquals(Map.of("index", 2), res.info().get(2).get("metadata"));
        }
    }

    @Test
    void splitsBigBatchesKeepsOrderAndCapsRequestsInFlight() throws Exception {
        RewardServer.Script slow = (call, req, auth) -> {
            Thread.sleep(100);
            return RewardServer.Reply.ok(Brightness.answer(req));
        };
        double[] values = {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};
        try (RewardServer s = RewardServer.start(slow); Reward r = http("url=" + s.url() + ",batch_size=3,concurrency=2")) {
            double[] got = r.score(TestBatches.ofBrightness(values)).join().scores();
            for (int i = 0; i < values.length; i++) {
                assertEquals(Math.rint(values[i] * 255) / 255, got[i], 1e-12, "sample " + i);
            }
            assertEquals(4, s.calls());
            assertEquals(List.of(3, 3, 3, 1), s.batchSizes.stream().sorted((a, b) -> b - a).toList());
            assertTrue(s.maxInFlight() <= 2, "max in flight " + s.maxInFlight());
        }
    }

    @Test
    void slowServerTimesOutWithinTheTimeout() throws Exception {
        RewardServer.Script stall = (call, req, auth) -> {
            Thread.sleep(30_000);
            return RewardServer.Reply.ok(Brightness.answer(req));
        };
        try (RewardServer s = RewardServer.start(stall); Reward r = http("url=" + s.url() + ",timeout=0.5,retries=0")) {
            long t0 = System.nanoTime();
            RewardException e = failure(r, TWO);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue(seconds < 1.5, "returned after " + seconds + " s, timeout 0.5 s");
            assertTrue(e.getMessage().contains("no answer within 0.5 s"), e.getMessage());
            assertTrue(e.getMessage().contains("reward 'http' at " + s.url() + ", samples 0-1"), e.getMessage());
        }
    }

    @Test
    void serverErrorIsRetriedWithBackoff() throws Exception {
        RewardServer.Script flaky = (call, req, auth) -> call == 0
                ? new RewardServer.Reply(500, "warming up") : RewardServer.Reply.ok(Brightness.answer(req));
        try (RewardServer s = RewardServer.start(flaky); Reward r = http("url=" + s.url() + ",retries=2,backoff=0.05")) {
            assertEquals(2, r.score(TWO).join().scores().length);
            assertEquals(2, s.calls());
        }
    }

    @Test
    void serverErrorAfterTheLastRetryFailsNamingStatusAndAttempts() throws Exception {
        RewardServer.Script down = (call, req, auth) -> new RewardServer.Reply(503, "overloaded");
        try (RewardServer s = RewardServer.start(down); Reward r = http("url=" + s.url() + ",retries=1,backoff=0.01")) {
            RewardException e = failure(r, TWO);
            assertTrue(e.getMessage().contains("HTTP 503: overloaded (after 2 attempts)"), e.getMessage());
            assertEquals(2, s.calls());
        }
    }

    @Test
    void clientErrorIsNotRetried() throws Exception {
        RewardServer.Script refuse = (call, req, auth) -> new RewardServer.Reply(404, "no such route");
        try (RewardServer s = RewardServer.start(refuse); Reward r = http("url=" + s.url() + ",retries=3,backoff=0.01")) {
            assertTrue(failure(r, TWO).getMessage().contains("HTTP 404: no such route"));
            assertEquals(1, s.calls());
        }
    }

    @Test
    void garbageAnswerFailsNamingRewardUrlAndSamples() throws Exception {
        RewardServer.Script garbage = (call, req, auth) -> new RewardServer.Reply(200, "<html>proxy error</html>");
        try (RewardServer s = RewardServer.start(garbage); Reward r = http("url=" + s.url())) {
            String m = failure(r, TWO).getMessage();
            assertTrue(m.contains("reward 'http' at " + s.url() + ", samples 0-1: answer is not JSON: <html>proxy error"), m);
            assertEquals(1, s.calls(), "a malformed answer is not retried");
        }
    }

    @Test
    void connectionRefusedFails() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (Reward r = http("url=http://127.0.0.1:" + port + "/score,retries=1,backoff=0.01")) {
            String m = failure(r, TWO).getMessage();
            assertTrue(m.contains("127.0.0.1:" + port) && m.contains("cannot connect") && m.contains("after 2 attempts"), m);
        }
    }

    @Test
    void wrongScoreCountFailsTheWholeRequest() throws Exception {
        RewardServer.Script short1 = (call, req, auth) -> new RewardServer.Reply(200, "{\"scores\": [0.5]}");
        try (RewardServer s = RewardServer.start(short1); Reward r = http("url=" + s.url())) {
            assertTrue(failure(r, TWO).getMessage().contains("answered 1 scores for 2 samples"));
            assertEquals(2, r.scoreSamples(TWO).join().failedCount());
        }
    }

    @Test
    void nonFiniteOrNonNumericScoreFailsOnlyItsSample() throws Exception {
        RewardServer.Script bad = (call, req, auth) -> new RewardServer.Reply(200,
                call == 0 ? "{\"scores\": [0.5, NaN]}" : "{\"scores\": [\"high\", 0.25]}");
        try (RewardServer s = RewardServer.start(bad); Reward r = http("url=" + s.url() + ",batch_size=2")) {
            ScoredBatch nan = r.scoreSamples(TWO).join();
            assertEquals(0.5, nan.score(0));
            assertFalse(nan.ok(1));
            assertTrue(nan.error(1).getMessage().contains("reward 'http' at " + s.url() + ", sample 1: score is NaN"),
                    nan.error(1).getMessage());
            String m = failure(r, TWO).getMessage();
            assertTrue(m.contains("sample 0: score \"high\" is not a number"), m);
        }
    }

    @Test
    void authHeaderReachesTheServerButNoMessageOrToString() throws Exception {
        RewardServer.Script echo = (call, req, auth) -> new RewardServer.Reply(500, "bad token " + auth);
        try (RewardServer s = RewardServer.start(echo);
                Reward r = http("url=" + s.url() + ",auth_env=REWARD_TOKEN,retries=0")) {
            RewardException e = failure(r, TWO);
            assertEquals(List.of("Bearer s3cret-t0ken"), s.authHeaders);
            assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
            assertTrue(e.getMessage().contains("bad token ***"), e.getMessage());
            assertFalse(r.toString().contains("s3cret"), r.toString());
            assertTrue(r.toString().contains("auth_env=REWARD_TOKEN"), r.toString());
        }
        RewardException unset = assertThrows(RewardException.class, () -> http("url=http://127.0.0.1:1/x,auth_env=NOPE"));
        assertTrue(unset.getMessage().contains("NOPE") && unset.getMessage().contains("not set"), unset.getMessage());
    }

    @Test
    void severalUrlsAreUsedInTurn() throws Exception {
        try (RewardServer a = RewardServer.start(RewardServer.BRIGHTNESS);
                RewardServer b = RewardServer.start(RewardServer.BRIGHTNESS);
                Reward r = http("url=" + a.url() + "|" + b.url() + ",batch_size=1,concurrency=1")) {
            double[] got = r.score(TestBatches.ofBrightness(0, 0.2, 0.4, 0.6)).join().scores();
            assertEquals(0.6, got[3], 1 / 255.0);
            assertEquals(2, a.calls());
            assertEquals(2, b.calls());
        }
    }

    @Test
    void retryGoesToTheNextUrl() throws Exception {
        int dead;
        try (ServerSocket socket = new ServerSocket(0)) {
            dead = socket.getLocalPort();
        }
        try (RewardServer live = RewardServer.start(RewardServer.BRIGHTNESS);
                Reward r = http("url=http://127.0.0.1:" + dead + "/score|" + live.url() + ",retries=1,backoff=0.01")) {
            assertEquals(2, r.score(TWO).join().scores().length);
            assertEquals(1, live.calls());
        }
    }

    @Test
    void badOptionsAreRefusedUpFront() {
        assertThrows(RewardException.class, () -> http("url=ftp://x/y"));
        assertThrows(RewardException.class, () -> http("url=http://127.0.0.1:1/x,timeout=0"));
        assertThrows(RewardException.class, () -> http("url=http://127.0.0.1:1/x,batch_size=0"));
        RewardException e = assertThrows(RewardException.class, () -> http("timeout=3"));
        assertTrue(e.getMessage().contains("needs option 'url'"), e.getMessage());
    }
}
