package ddpo4j.rewards.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A real reward server on 127.0.0.1 (random port) for the {@code http} tests, with a scripted answer per call. */
final class RewardServer implements AutoCloseable {
    /** The answer to call number {@code call} (0-based), given the parsed request and its auth header. */
    interface Script {
        Reply answer(int call, JsonNode request, String auth) throws Exception;
    }

    record Reply(int status, String body) {
        static Reply ok(JsonNode body) {
            return new Reply(200, body.toString());
        }
    }

    /** Brightness scores for every call. */
    static final Script BRIGHTNESS = (call, request, auth) -> Reply.ok(Brightness.answer(request));

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final Script script;
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    final List<String> authHeaders = new CopyOnWriteArrayList<>();
    final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

    private RewardServer(Script script) throws IOException {
        this.script = script;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/score", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    static RewardServer start(Script script) throws IOException {
        return new RewardServer(script);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/score";
    }

    int calls() {
        return calls.get();
    }

    int maxInFlight() {
        return maxInFlight.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        int n = calls.getAndIncrement();
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        Reply reply;
        try {
            JsonNode request = Brightness.JSON.readTree(ex.getRequestBody());
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth != null) {
                authHeaders.add(auth);
            }
            batchSizes.add(request.get("images").size());
            reply = script.answer(n, request, auth);
        } catch (InterruptedException e) {
            return; // server closing
        } catch (Exception e) {
            reply = new Reply(500, "test server failed: " + e);
        } finally {
            inFlight.decrementAndGet();
        }
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(reply.status(), body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
