package ddpo4j.rewards.vlm;

import ddpo4j.rewards.Pixels;
import ddpo4j.rewards.Reward;
import ddpo4j.rewards.RewardBatch;
import ddpo4j.rewards.RewardException;
import ddpo4j.rewards.RewardOptions;
import ddpo4j.rewards.RewardResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code vlm}: the paper's LLaVA rewards through any OpenAI-compatible chat-completions server.
 * Each image goes as a base64 PNG data URL with a question, {@code concurrency} requests at a time.
 * <ul>
 *   <li>{@code mode=strict} (ddpo-pytorch's {@code llava_strict_satisfaction}): the questions of
 *       {@link StrictQuestions} from the prompt's metadata; score = fraction of answers that
 *       satisfy the expected ones.</li>
 *   <li>{@code mode=describe} ({@code llava_bertscore}): asks {@value #DESCRIBE_QUESTION}; score =
 *       BERTScore recall of the answer against "The image contains {prompt}" ({@link BertScore}).</li>
 * </ul>
 */
public final class VlmReward implements Reward {
    public static final String DESCRIBE_QUESTION = "Answer concisely: what is going on in this image?";

    /** How answers become scores. */
    public enum Mode { STRICT, DESCRIBE }

    private final ChatCompletionsClient client;
    private final Mode mode;
    private final String template;
    private final BertScore scorer;
    private final ExecutorService pool;

    VlmReward(ChatCompletionsClient client, Mode mode, String template, int concurrency, BertScore scorer) {
        this.client = client;
        this.mode = mode;
        this.template = template;
        this.scorer = scorer;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "ddpo4j-vlm-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Builds the reward from spec options: {@code url} and {@code model} (required), {@code mode}
     * (strict|describe, default strict), {@code timeout} (seconds per request, default 60),
     * {@code retries} (default 3), {@code backoff} (seconds before the first retry, doubling,
     * default 1), {@code concurrency} (requests in flight, default 4), {@code api_key_env} (name of
     * the environment variable holding the key), {@code temperature} (default 0),
     * {@code max_tokens} (default 64), {@code question} (strict-mode template, default
     * {@value StrictQuestions#DEFAULT_TEMPLATE}).
     */
    public static VlmReward fromOptions(Map<String, String> options) {
        RewardOptions o = new RewardOptions("vlm", options);
        ChatCompletionsClient.Settings settings = new ChatCompletionsClient.Settings(
                ChatCompletionsClient.endpoint(o.required("url")),
                o.required("model"),
                o.seconds("timeout", 60),
                o.intValue("retries", 3, 0),
                o.seconds("backoff", 1),
                o.doubleValue("temperature", 0, 0),
                o.intValue("max_tokens", 64, 1));
        Mode mode = Mode.valueOf(o.choice("mode", "strict", "strict", "describe").toUpperCase(Locale.ROOT));
        int concurrency = o.intValue("concurrency", 4, 1);
        String keyEnv = o.string("api_key_env", null);
        String template = o.string("question", null);
        o.checkNoUnknown();
        if (settings.timeout().isZero()) {
            throw new RewardException("reward 'vlm': option timeout must be > 0");
        }
        if (template != null && mode == Mode.DESCRIBE) {
            throw new RewardException("reward 'vlm': option question applies to mode=strict only");
        }
        String key = null;
        if (keyEnv != null) {
            key = System.getenv(keyEnv);
            if (key == null || key.isBlank()) {
                throw new RewardException("reward 'vlm': environment variable " + keyEnv
                        + " (named by api_key_env) is not set");
            }
        }
        BertScore scorer = mode == Mode.DESCRIBE ? BertScore.allMiniLmL6V2() : null;
        return new VlmReward(new ChatCompletionsClient(settings, key), mode, template, concurrency, scorer);
    }

    @Override
    public String name() {
        return "vlm";
    }

    public Mode mode() {
        return mode;
    }

    @Override
    public CompletableFuture<RewardResult> score(RewardBatch batch) {
        int n = batch.size();
        List<List<StrictQuestions.Question>> questions = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                questions.add(mode == Mode.STRICT
                        ? StrictQuestions.forSample(batch.metadata().get(i), template, i)
                        : List.of(new StrictQuestions.Question(DESCRIBE_QUESTION, null)));
            }
        } catch (RewardException e) {
            return CompletableFuture.failedFuture(e);
        }
        List<CompletableFuture<String>> images = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = i;
            images.add(CompletableFuture.supplyAsync(() -> dataUrl(batch, index), pool));
        }
        List<List<CompletableFuture<String>>> answers = new ArrayList<>();
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = i;
            List<CompletableFuture<String>> perImage = new ArrayList<>();
            for (StrictQuestions.Question q : questions.get(i)) {
                CompletableFuture<String> a = images.get(i).thenApplyAsync(url -> ask(url, q.text(), index), pool);
                perImage.add(a);
                all.add(a);
            }
            answers.add(perImage);
        }
        CompletableFuture<RewardResult> result = new CompletableFuture<>();
        for (CompletableFuture<?> a : all) { // fail fast: the first failed request fails the batch
            a.whenComplete((ok, error) -> {
                if (error != null) {
                    result.completeExceptionally(unwrap(error));
                }
            });
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).whenComplete((ok, error) -> {
            if (error != null) {
                result.completeExceptionally(unwrap(error));
                return;
            }
            try {
                result.complete(mode == Mode.STRICT ? strictScores(questions, answers)
                        : describeScores(batch.prompts(), answers));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private static String dataUrl(RewardBatch batch, int i) {
        return "data:image/png;base64," + Pixels.pngBase64(batch, i);
    }

    private String ask(String dataUrl, String question, int sample) {
        try {
            return client.ask(dataUrl, question);
        } catch (RewardException e) {
            throw new RewardException(e.getMessage() + " (sample " + sample + ", question \"" + question + "\")", e);
        }
    }

    private static RewardResult strictScores(List<List<StrictQuestions.Question>> questions,
            List<List<CompletableFuture<String>>> answers) {
        double[] scores = new double[questions.size()];
        List<Map<String, Object>> info = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            List<String> asked = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            List<String> got = new ArrayList<>();
            List<Boolean> satisfied = new ArrayList<>();
            int correct = 0;
            for (int k = 0; k < questions.get(i).size(); k++) {
                StrictQuestions.Question q = questions.get(i).get(k);
                String a = answers.get(i).get(k).join();
                boolean ok = StrictQuestions.satisfied(q.expected(), a);
                correct += ok ? 1 : 0;
                asked.add(q.text());
                expected.add(q.expected());
                got.add(a);
                satisfied.add(ok);
            }
            scores[i] = (double) correct / questions.get(i).size();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("questions", asked);
            m.put("expected", expected);
            m.put("answers", got);
            m.put("satisfied", satisfied);
            info.add(m);
        }
        return new RewardResult(scores, info);
    }

    private RewardResult describeScores(List<String> prompts, List<List<CompletableFuture<String>>> answers) {
        double[] scores = new double[prompts.size()];
        List<Map<String, Object>> info = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            String answer = answers.get(i).get(0).join();
            String reference = "The image contains " + prompts.get(i);
            BertScore.Result r = scorer.score(answer, reference);
            scores[i] = r.recall();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("answer", answer);
            m.put("reference", reference);
            m.put("precision", r.precision());
            m.put("recall", r.recall());
            m.put("f1", r.f1());
            info.add(m);
        }
        return new RewardResult(scores, info);
    }

    private static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof RewardException ? t : new RewardException("reward 'vlm' failed: " + t, t);
    }

    /** Stops the request threads (in-flight requests are abandoned) and frees the scorer. */
    @Override
    public void close() {
        pool.shutdownNow();
        if (scorer != null) {
            scorer.close();
        }
    }
}
