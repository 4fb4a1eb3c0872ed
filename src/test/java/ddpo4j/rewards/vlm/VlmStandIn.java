package ddpo4j.rewards.vlm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Collections;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * An OpenAI-compatible chat-completions server on 127.0.0.1 (random port) standing in for a VLM:
 * it decodes the posted PNG and answers "How many {color} {nouns} …?" by counting the connected
 * blobs of that colour (flood fill), or gives a fixed description. Faults can be scripted for the
 * next requests or for all of them.
 */
final class VlmStandIn implements AutoCloseable {
    enum Fault { SLOW, ERROR_500, GARBAGE, NO_CHOICES, UNAUTHORIZED }

    /** The colours the stand-in can see, as drawn by the tests. */
    static final Map<String, int[]> COLORS = Map.of("red", new int[] {220, 20, 20}, "green", new int[] {20, 160, 40},
            "blue", new int[] {30, 40, 220});
    private static final Pattern COUNT_QUESTION = Pattern.compile("(?i)how many (\\w+) (\\w+)");
    private static final String[] WORDS = {"no", "one", "two", "three", "four", "five", "six", "seven", "eight",
        "nine", "ten"};
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "vlm-stand-in");
        t.setDaemon(true);
        return t;
    });
    private final CountDownLatch release = new CountDownLatch(1);
    final ConcurrentLinkedQueue<Fault> script = new ConcurrentLinkedQueue<>();
    volatile Fault always;
    volatile String fixedAnswer;
    volatile boolean numberWords;
    final AtomicInteger requests = new AtomicInteger();
    final List<String> authorizations = Collections.synchronizedList(new ArrayList<>());
    final List<JsonNode> bodies = Collections.synchronizedList(new ArrayList<>());

    VlmStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** The server root, e.g. {@code http://127.0.0.1:41234}. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            requests.incrementAndGet();
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            authorizations.add(auth == null ? "" : auth);
            JsonNode body = JSON.readTree(ex.getRequestBody().readAllBytes());
            bodies.add(body);
            Fault f = script.poll();
            if (f == null) {
                f = always;
            }
            if (f == Fault.SLOW) {
                release.await(30, TimeUnit.SECONDS);
            } else if (f == Fault.ERROR_500) {
                send(ex, 500, "{\"error\": {\"message\": \"model overloaded\"}}");
                return;
            } else if (f == Fault.GARBAGE) {
                send(ex, 200, "<html><body>502 Bad Gateway</body></html>");
                return;
            } else if (f == Fault.NO_CHOICES) {
                send(ex, 200, "{\"id\": \"chatcmpl-0\", \"object\": \"chat.completion\", \"choices\": []}");
                return;
            } else if (f == Fault.UNAUTHORIZED) {
                send(ex, 401, "{\"error\": {\"message\": \"invalid api key\"}}");
                return;
            }
            send(ex, 200, completion(body.path("model").asText(), answer(body)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String answer(JsonNode body) throws IOException {
        if (fixedAnswer != null) {
            return fixedAnswer;
        }
        String question = null;
        BufferedImage image = null;
        for (JsonNode part : body.path("messages").get(0).path("content")) {
            if (part.path("type").asText().equals("text")) {
                question = part.path("text").asText();
            } else if (part.path("type").asText().equals("image_url")) {
                String url = part.path("image_url").path("url").asText();
                String prefix = "data:image/png;base64,";
                if (!url.startsWith(prefix)) {
                    return "I can only read PNG data URLs.";
                }
                image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(url.substring(prefix.length()))));
            }
        }
        Matcher m = question == null ? null : COUNT_QUESTION.matcher(question);
        if (image == null || m == null || !m.find() || !COLORS.containsKey(m.group(1).toLowerCase())) {
            return "I am not sure what you are asking.";
        }
        String color = m.group(1).toLowerCase();
        String nouns = m.group(2).toLowerCase();
        int n = countBlobs(image, COLORS.get(color));
        String number = numberWords && n < WORDS.length ? WORDS[n] : n == 0 ? "no" : Integer.toString(n);
        String noun = n == 1 && nouns.endsWith("s") ? nouns.substring(0, nouns.length() - 1) : nouns;
        return (n == 1 ? "There is " : "There are ") + number + " " + color + " " + noun + " in this image.";
    }

    /** Connected components (4-neighbourhood, at least 3 pixels) of pixels within 60 of {@code rgb}. */
    static int countBlobs(BufferedImage img, int[] rgb) {
        int w = img.getWidth();
        int h = img.getHeight();
        boolean[] seen = new boolean[w * h];
        int blobs = 0;
        for (int start = 0; start < w * h; start++) {
            if (seen[start] || !matches(img.getRGB(start % w, start / w), rgb)) {
                continue;
            }
            int size = 0;
            Deque<Integer> stack = new ArrayDeque<>();
            stack.push(start);
            seen[start] = true;
            while (!stack.isEmpty()) {
                int p = stack.pop();
                size++;
                int x = p % w;
                int y = p / w;
                int[][] next = {{x + 1, y}, {x - 1, y}, {x, y + 1}, {x, y - 1}};
                for (int[] q : next) {
                    if (q[0] >= 0 && q[0] < w && q[1] >= 0 && q[1] < h) {
                        int i = q[1] * w + q[0];
                        if (!seen[i] && matches(img.getRGB(q[0], q[1]), rgb)) {
                            seen[i] = true;
                            stack.push(i);
                        }
                    }
                }
            }
            blobs += size >= 3 ? 1 : 0;
        }
        return blobs;
    }

    private static boolean matches(int pixel, int[] rgb) {
        int dr = ((pixel >> 16) & 255) - rgb[0];
        int dg = ((pixel >> 8) & 255) - rgb[1];
        int db = (pixel & 255) - rgb[2];
        return dr * dr + dg * dg + db * db < 60 * 60;
    }

    private static String completion(String model, String text) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chatcmpl-standin").put("object", "chat.completion").put("created", 1700000000L)
                .put("model", model);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0).putObject("message").put("role", "assistant").put("content", text);
        choice.put("finish_reason", "stop");
        return root.toString();
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
