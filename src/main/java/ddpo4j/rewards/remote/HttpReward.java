package ddpo4j.rewards.remote;

import ddpo4j.rewards.PerSampleReward;
import ddpo4j.rewards.RewardBatch;
import ddpo4j.rewards.RewardException;
import ddpo4j.rewards.RewardFactory;
import ddpo4j.rewards.RewardOptions;
import ddpo4j.rewards.ScoredBatch;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A reward served over HTTP: POSTs each (sub-)batch as {@link RewardProtocol} JSON to one of its
 * URLs in turn, with a timeout, retries with exponential backoff and a cap on requests in flight.
 */
public final class HttpReward implements PerSampleReward {
    public static final String NAME = "http";
    static final Set<String> KEYS = Set.of("url", "batch_size", "concurrency", "timeout", "retries", "backoff",
            "auth_env", "auth_header");
    private static final Logger LOG = LoggerFactory.getLogger(HttpReward.class);

    private final List<URI> urls;
    private final AtomicInteger nextUrl = new AtomicInteger();
    private final int batchSize;
    private final Duration timeout;
    private final int retries;
    private final Duration backoff;
    private final String authHeader;
    private final String authEnv;
    private final Secret auth;
    private final AsyncLimiter limiter;
    private final HttpClient client;

    /** Options: url (required; several as {@code a|b}), batch_size, concurrency, timeout, retries, backoff, auth_env, auth_header. */
    public HttpReward(RewardOptions o) {
        urls = parseUrls(o);
        batchSize = o.integer("batch_size", 16, 1);
        limiter = new AsyncLimiter(o.integer("concurrency", 4, 1));
        timeout = o.seconds("timeout", 60);
        if (timeout.isZero()) {
            throw o.error("timeout must be > 0 seconds");
        }
        retries = o.integer("retries", 2, 0);
        backoff = o.seconds("backoff", 0.5);
        authHeader = o.string("auth_header", "Authorization");
        authEnv = o.has("auth_env") ? o.string("auth_env") : null;
        String value = authEnv == null ? null : o.environment(authEnv);
        if (authEnv != null && (value == null || value.isBlank())) {
            throw o.error("auth_env names environment variable " + authEnv + ", which is not set");
        }
        auth = value == null ? null : new Secret(value);
        // HTTP/1.1 only: the h2c upgrade the client would otherwise attempt confuses some small servers.
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    public static RewardFactory factory() {
        return RewardFactory.of(KEYS, HttpReward::new);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CompletableFuture<ScoredBatch> scoreSamples(RewardBatch batch) {
        return SubBatches.score(NAME, batch, batchSize, (offset, sub) ->
                // PNG encoding is CPU work: off the caller's thread, and before taking a request slot.
                CompletableFuture.supplyAsync(() -> RewardProtocol.request(sub))
                        .thenCompose(body -> limiter.run(() -> post(offset, sub.size(), body, 0))));
    }

    /** One attempt at posting {@code body} (samples offset..offset+count-1) to the next URL in turn. */
    private CompletableFuture<ScoredBatch> post(int offset, int count, String body, int attempt) {
        URI url = urls.get(Math.floorMod(nextUrl.getAndIncrement(), urls.size()));
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (auth != null) {
            request.header(authHeader, auth.value());
        }
        CompletableFuture<HttpResponse<String>> sent = client.sendAsync(request.build(),
                HttpResponse.BodyHandlers.ofString());
        // The request timeout covers the wait for headers; this one also covers a body that stalls.
        CompletableFuture<HttpResponse<String>> timed = sent.copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        timed.whenComplete((r, e) -> {
            if (e != null) {
                sent.cancel(true); // aborts the exchange, so a slow server does not keep a connection busy
            }
        });
        String source = "reward '" + NAME + "' at " + url;
        return timed.handle((response, error) -> {
            if (error != null) {
                return retryOrFail(source, offset, count, body, attempt, describe(error));
            }
            int status = response.statusCode();
            if (status == 429 || status >= 500) {
                return retryOrFail(source, offset, count, body, attempt,
                        "HTTP " + status + ": " + RewardProtocol.snippet(response.body()));
            }
            if (status / 100 != 2) {
                // Other 4xx: the request itself is wrong (bad URL, auth); sending it again will not help.
                return failed(source, offset, count, "HTTP " + status + ": " + RewardProtocol.snippet(response.body()));
            }
            try {
                return CompletableFuture.completedFuture(RewardProtocol.response(response.body(), count, offset, source));
            } catch (RewardException e) {
                // A malformed answer is a server bug, not a hiccup: reported, not retried.
                return CompletableFuture.completedFuture(ScoredBatch.failed(count, new RewardException(mask(e.getMessage()))));
            }
        }).thenCompose(Function.identity());
    }

    private CompletableFuture<ScoredBatch> retryOrFail(String source, int offset, int count, String body, int attempt,
            String what) {
        if (attempt >= retries) {
            return failed(source, offset, count, what + (retries > 0 ? " (after " + (attempt + 1) + " attempts)" : ""));
        }
        long delayMs = backoff.toMillis() << Math.min(attempt, 20);
        LOG.warn("{}, {}: {}; retrying in {} ms", source, RewardProtocol.samples(offset, count), mask(what), delayMs);
        return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(delayMs, TimeUnit.MILLISECONDS))
                .thenCompose(v -> post(offset, count, body, attempt + 1));
    }

    private CompletableFuture<ScoredBatch> failed(String source, int offset, int count, String what) {
        String message = mask(source + ", " + RewardProtocol.samples(offset, count) + ": " + what);
        return CompletableFuture.completedFuture(ScoredBatch.failed(count, new RewardException(message)));
    }

    private String describe(Throwable error) {
        Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (t instanceof TimeoutException || t instanceof HttpTimeoutException) {
            return "no answer within " + timeout.toMillis() / 1000.0 + " s";
        }
        if (t instanceof ConnectException) {
            return "cannot connect (" + (t.getMessage() == null ? "connection refused" : t.getMessage()) + ")";
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    private String mask(String text) {
        return auth == null ? text : auth.mask(text);
    }

    private static List<URI> parseUrls(RewardOptions o) {
        List<URI> out = new ArrayList<>();
        for (String part : o.string("url").split("\\|")) {
            try {
                URI u = new URI(part.strip());
                if ((!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) || u.getHost() == null) {
                    throw o.error("url '" + part.strip() + "' is not an http:// or https:// URL");
                }
                out.add(u);
            } catch (URISyntaxException e) {
                throw o.error("url '" + part.strip() + "' is not a URL: " + e.getReason());
            }
        }
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        // The auth value never appears here: only the name of the variable that holds it.
        return NAME + "(url=" + urls + ", batch_size=" + batchSize + ", timeout=" + timeout.toMillis() / 1000.0
                + " s, retries=" + retries + (authEnv != null ? ", auth_env=" + authEnv : "") + ")";
    }
}
