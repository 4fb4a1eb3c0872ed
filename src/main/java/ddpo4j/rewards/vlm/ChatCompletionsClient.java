package ddpo4j.rewards.vlm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ddpo4j.rewards.RewardException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A blocking client of the OpenAI-compatible chat-completions API (vLLM, Ollama, llama.cpp
 * server, LM Studio, OpenAI): one user message holding an image (a data URL) and a question, the
 * answer text back. Connection failures, timeouts, HTTP 408/429/5xx are retried with exponential
 * backoff; any other HTTP status and unusable answers (not JSON, no {@code choices}) fail at once.
 * The API key is sent as {@code Authorization: Bearer …} and appears in no message.
 */
final class ChatCompletionsClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SNIPPET = 200;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    /** Everything but the key; safe to print. */
    record Settings(URI endpoint, String model, Duration timeout, int retries, Duration backoff, double temperature,
            int maxTokens) {}

    private final Settings settings;
    private final String apiKey;
    private final HttpClient http;

    ChatCompletionsClient(Settings settings, String apiKey) {
        this.settings = settings;
        this.apiKey = apiKey;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.timeout()).build();
    }

    Settings settings() {
        return settings;
    }

    /**
     * The chat-completions endpoint for a user-given URL: kept if it already ends with
     * {@code /chat/completions}; {@code …/v1} gets {@code /chat/completions}; anything else
     * (a server root) gets {@code /v1/chat/completions}.
     */
    static URI endpoint(String url) {
        String u = url.strip();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        if (!u.endsWith("/chat/completions")) {
            u += u.endsWith("/v1") ? "/chat/completions" : "/v1/chat/completions";
        }
        URI uri;
        try {
            uri = URI.create(u);
        } catch (IllegalArgumentException e) {
            throw new RewardException("reward 'vlm': url " + url + " is not a URL: " + e.getMessage());
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new RewardException("reward 'vlm': url " + url + " must be an http:// or https:// URL");
        }
        return uri;
    }

    /** The request body: one user turn with the image first, then the question. */
    String requestBody(String imageDataUrl, String question) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", settings.model());
        ArrayNode content = body.putArray("messages").addObject().put("role", "user").putArray("content");
        content.addObject().put("type", "image_url").putObject("image_url").put("url", imageDataUrl);
        content.addObject().put("type", "text").put("text", question);
        body.put("temperature", settings.temperature());
        body.put("max_tokens", settings.maxTokens());
        body.put("stream", false);
        return body.toString();
    }

    /** Asks {@code question} about the image; retries as the class says, then throws naming the last failure. */
    String ask(String imageDataUrl, String question) {
        HttpRequest.Builder rb = HttpRequest.newBuilder(settings.endpoint()).timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(requestBody(imageDataUrl, question)));
        if (apiKey != null) {
            rb.header("Authorization", "Bearer " + apiKey);
        }
        HttpRequest request = rb.build();
        Failure last = null;
        int attempts = 0;
        while (attempts <= settings.retries()) {
            if (attempts > 0) {
                sleep(backoff(attempts));
            }
            attempts++;
            try {
                return answer(send(request));
            } catch (Failure f) {
                last = f;
                if (!f.retryable) {
                    break;
                }
            }
        }
        throw new RewardException("reward 'vlm': " + settings.endpoint() + " failed after " + attempts
                + (attempts == 1 ? " attempt: " : " attempts: ") + last.getMessage());
    }

    private Duration backoff(int attempt) {
        Duration d = settings.backoff().multipliedBy(1L << Math.min(attempt - 1, 20));
        return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }

    private HttpResponse<String> send(HttpRequest request) throws Failure {
        CompletableFuture<HttpResponse<String>> f = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        try {
            // The request timeout covers the wait for the headers; this also bounds a stalled body.
            return f.get(settings.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new Failure("no answer within " + seconds(settings.timeout()), true);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new RewardException("reward 'vlm': interrupted while waiting for " + settings.endpoint());
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof HttpTimeoutException) {
                throw new Failure("no answer within " + seconds(settings.timeout()) + " (timed out)", true);
            }
            if (c instanceof ConnectException) {
                throw new Failure("cannot connect (" + (c.getMessage() == null ? "connection refused" : c.getMessage())
                        + ")", true);
            }
            if (c instanceof IOException) {
                throw new Failure("I/O error: " + c, true);
            }
            throw new Failure("request failed: " + c, false);
        }
    }

    private static String answer(HttpResponse<String> r) throws Failure {
        int status = r.statusCode();
        if (status / 100 != 2) {
            boolean retryable = status == 408 || status == 429 || status / 100 == 5;
            throw new Failure("HTTP " + status + ": " + snippet(r.body()), retryable);
        }
        JsonNode root;
        try {
            root = JSON.readTree(r.body());
        } catch (IOException e) {
            throw new Failure("the answer is not valid JSON: " + snippet(r.body()), false);
        }
        if (root == null || !root.isObject()) {
            throw new Failure("the answer is not a JSON object: " + snippet(r.body()), false);
        }
        JsonNode choices = root.path("choices");
        if (!choices.isArray() || choices.isEmpty()) {
            throw new Failure("the answer has no \"choices\": " + snippet(r.body()), false);
        }
        JsonNode content = choices.get(0).path("message").path("content");
        if (content.isTextual()) {
            return content.textValue();
        }
        if (content.isArray()) { // content parts, as some servers return
            StringBuilder sb = new StringBuilder();
            content.forEach(p -> sb.append(p.path("text").asText("")));
            return sb.toString();
        }
        throw new Failure("choices[0].message.content is missing: " + snippet(r.body()), false);
    }

    private static String snippet(String body) {
        String s = body == null ? "" : body.strip().replaceAll("\\s+", " ");
        return s.length() <= SNIPPET ? s : s.substring(0, SNIPPET) + "…";
    }

    private static String seconds(Duration d) {
        return d.toMillis() / 1000.0 + " s";
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RewardException("reward 'vlm': interrupted during retry backoff");
        }
    }

    /** One failed attempt: its description and whether another attempt may help. */
    private static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        final boolean retryable;

        Failure(String message, boolean retryable) {
            super(message, null, false, false);
            this.retryable = retryable;
        }
    }
}
