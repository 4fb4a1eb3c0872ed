package ddpo4j.rewards.judge;

import ddpo4j.Ddpo4jException;
import ddpo4j.io.BundledFiles;
import ddpo4j.models.judge.JudgeAnswers;
import ddpo4j.models.judge.ShapesJudge;
import ddpo4j.rewards.PerSampleReward;
import ddpo4j.rewards.RewardBatch;
import ddpo4j.rewards.RewardException;
import ddpo4j.rewards.RewardFactory;
import ddpo4j.rewards.RewardOptions;
import ddpo4j.rewards.RewardWorker;
import ddpo4j.rewards.ScoredBatch;
import ddpo4j.rewards.world.CountAlignmentReward;
import ddpo4j.rewards.world.CountAlignmentReward.Ask;
import ddpo4j.world.CaptionParser;
import ddpo4j.world.NamedColor;
import ddpo4j.world.SceneSpec;
import ddpo4j.world.ShapeKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code judge}: the learned judge of the shapes world ({@code models/shapes-judge}) as a reward,
 * the offline analog of ddpo-pytorch's LLaVA rewards. A proxy, learned and fallible as LLaVA is;
 * {@code count_alignment}'s pixel detector stays the gold measure.
 *
 * <ul>
 *   <li>{@code mode=strict} (as {@code llava_strict_satisfaction}): the fraction of the prompt's
 *       questions the judge answers right. The questions are {@code count_alignment}'s: "how many
 *       &lt;colour&gt; &lt;kind&gt;s?" per group of the prompt (from metadata or the prompt text);
 *       with {@code questions=all}, a one-group prompt also asks "what colour are the shapes?" and
 *       "what shape are they?". With {@code graded=true} each question scores the judge's
 *       probability of the right answer instead of 0/1: a smoother reward.
 *   <li>{@code mode=describe} (as LLaVA + BERTScore): the judge's caption of the image (every colour
 *       × kind it counts, and the background if the prompt names one) scored by token F1 against
 *       the prompt ({@link TokenF1}); info has precision and recall too.
 * </ul>
 *
 * The network runs in-process on one worker thread, {@code batch_size} images per forward, without
 * autograd (so on oneDNN's kernels; the trainer awaits rewards before its backward passes, which
 * switch convolutions to ATen's).
 */
public final class JudgeReward implements PerSampleReward {
    public static final String NAME = "judge";
    /** The {@code model} option's default: the bundled judge. */
    public static final String DEFAULT_MODEL = BundledFiles.PREFIX + "shapes-judge";

    private final ShapesJudge judge;
    private final boolean describe;
    private final boolean graded;
    private final boolean allQuestions;
    private final int batchSize;
    private final RewardWorker worker;

    public JudgeReward(ShapesJudge judge, boolean describe, boolean graded, boolean allQuestions, int batchSize) {
        this.judge = judge;
        this.describe = describe;
        this.graded = graded;
        this.allQuestions = allQuestions;
        this.batchSize = batchSize;
        this.worker = new RewardWorker("ddpo4j-judge");
    }

    /** Registry factory: options model, mode, graded, questions, batch_size. */
    public static RewardFactory factory() {
        return RewardFactory.of(Set.of("model", "mode", "graded", "questions", "batch_size"), JudgeReward::fromOptions);
    }

    public static JudgeReward fromOptions(RewardOptions o) {
        boolean describe = o.choice("mode", "strict", "strict", "describe").equals("describe");
        boolean graded = o.choice("graded", "false", "true", "false").equals("true");
        boolean all = o.choice("questions", "count", "count", "all").equals("all");
        int batchSize = o.intValue("batch_size", 64, 1);
        String model = o.string("model", DEFAULT_MODEL);
        o.checkNoUnknown();
        if (describe && (o.has("graded") || o.has("questions"))) {
            throw o.error("graded and questions apply to mode=strict only");
        }
        Path dir;
        try {
            dir = BundledFiles.folder(model, ShapesJudge.CONFIG, "./ddpo4j pretrain judge --out models/");
        } catch (Ddpo4jException e) {
            throw o.error(e.getMessage());
        }
        return new JudgeReward(ShapesJudge.load(dir), describe, graded, all, batchSize);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CompletableFuture<ScoredBatch> scoreSamples(RewardBatch batch) {
        return worker.submit(() -> scoreNow(batch));
    }

    /** Scores {@code batch} on the calling thread; a strict-mode prompt asking nothing countable fails its sample alone. */
    public ScoredBatch scoreNow(RewardBatch batch) {
        ScoredBatch.Builder out = new ScoredBatch.Builder(batch.size());
        for (int from = 0; from < batch.size(); from += batchSize) {
            int to = Math.min(batch.size(), from + batchSize);
            List<JudgeAnswers> answers;
            try {
                answers = judge.answer(batch.images().subList(from, to), batch.height(), batch.width());
            } catch (RuntimeException e) {
                RewardException err = new RewardException("reward '" + NAME + "' failed on samples " + from + ".."
                        + (to - 1) + ": " + e.getMessage(), e);
                for (int i = from; i < to; i++) {
                    out.fail(i, err);
                }
                continue;
            }
            for (int i = from; i < to; i++) {
                String prompt = batch.prompts().get(i);
                JudgeAnswers a = answers.get(i - from);
                if (describe) {
                    describe(out, i, prompt, a);
                    continue;
                }
                try {
                    strict(out, i, CountAlignmentReward.expected(prompt, batch.metadata().get(i)), a);
                } catch (RewardException e) {
                    out.fail(i, new RewardException("reward '" + NAME + "': sample " + i + ": " + e.getMessage()));
                }
            }
        }
        return out.build();
    }

    /** One question put to the judge: its words, the expected and the given answer, and the judge's probability of the right one. */
    private record Answered(String question, Object expected, Object answer, boolean right, double probability) {}

    private void strict(ScoredBatch.Builder out, int i, List<Ask> asks, JudgeAnswers a) {
        List<Answered> qs = new ArrayList<>();
        for (Ask ask : asks) {
            CountQuestion q = new CountQuestion(ask);
            int answer = q.answer(a);
            qs.add(new Answered(q.text(), ask.count(), answer, answer == q.expectedClass(a.config()),
                    q.probabilityRight(a)));
        }
        if (allQuestions && asks.size() == 1 && asks.get(0).color() != null) {
            NamedColor c = asks.get(0).color();
            qs.add(new Answered("what colour are the shapes?", c.word(), a.color().word(), a.color() == c,
                    a.colorProbability(c)));
        }
        if (allQuestions && asks.size() == 1 && asks.get(0).kind() != null) {
            ShapeKind k = asks.get(0).kind();
            qs.add(new Answered("what shape are they?", k.word(), a.kind().word(), a.kind() == k, a.kindProbability(k)));
        }
        double sum = 0;
        for (Answered q : qs) {
            sum += graded ? q.probability() : q.right() ? 1 : 0;
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("questions", qs.stream().map(Answered::question).toList());
        info.put("expected", qs.stream().map(Answered::expected).toList());
        info.put("answers", qs.stream().map(Answered::answer).toList());
        info.put("satisfied", qs.stream().map(Answered::right).toList());
        info.put("probability", qs.stream().map(Answered::probability).toList());
        out.score(i, sum / qs.size(), info);
    }

    private static void describe(ScoredBatch.Builder out, int i, String prompt, JudgeAnswers a) {
        String reference = prompt == null ? "" : prompt;
        boolean background = CaptionParser.parse(reference).map(SceneSpec::background).orElse(null) != null;
        String caption = JudgeCaption.of(a, background);
        TokenF1 f = TokenF1.of(caption, reference);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("caption", caption);
        info.put("precision", f.precision());
        info.put("recall", f.recall());
        out.score(i, f.f1(), info);
    }

    /** Waits for the running batch, then frees the weights. */
    @Override
    public void close() {
        worker.close();
        judge.close();
    }
}
