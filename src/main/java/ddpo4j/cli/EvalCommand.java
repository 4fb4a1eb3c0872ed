package ddpo4j.cli;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import ddpo4j.Ddpo4jException;
import ddpo4j.eval.EvalOptions;
import ddpo4j.eval.EvalResult;
import ddpo4j.eval.EvalSample;
import ddpo4j.eval.Evaluator;
import ddpo4j.io.AtomicFile;
import ddpo4j.io.ImageFiles;
import ddpo4j.io.LoraFiles;
import ddpo4j.nn.LoraLayers;
import ddpo4j.pipeline.StableDiffusionPipeline;
import ddpo4j.prompts.PromptSample;
import ddpo4j.prompts.PromptSet;
import ddpo4j.prompts.PromptSets;
import ddpo4j.rewards.Reward;
import ddpo4j.rewards.registry.Rewards;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ddpo4j eval}: mean reward ± standard error of a model (and optionally its LoRA) on a prompt set. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Sample every prompt of a set with fixed per-sample noise, score with a reward, print one JSON "
                + "object (reward_mean, reward_stderr, num_samples, reward_mean_per_prompt).")
public final class EvalCommand implements Callable<Integer> {
    @Mixin
    ModelArgs modelArgs;

    @Mixin
    SamplingArgs sampling;

    @Option(names = "--compare", description = "evaluate the model without and with --lora on the same noise; print both"
            + " and their paired difference")
    boolean compare;

    @Option(names = "--prompts", required = true,
            description = "prompt set (counting-train, counting-heldout, counting-all, simple_animals, imagenet_animals,"
                    + " imagenet_all, imagenet_dogs, nouns_activities) or a prompt file")
    String prompts;

    @Option(names = "--reward", required = true, description = "reward spec, e.g. count_alignment or jpeg_compressibility")
    String reward;

    @Option(names = "--samples-per-prompt", defaultValue = "4", description = "images per prompt (default: ${DEFAULT-VALUE})")
    int samplesPerPrompt;

    @Option(names = "--out", description = "folder for the images (PNG) and eval.json with every sample's reward and info")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path lora = modelArgs.lora;
        if (compare && lora == null) {
            throw new Ddpo4jException("--compare needs --lora (the fine-tuned weights to compare with the base model)");
        }
        if (samplesPerPrompt < 1) {
            throw new Ddpo4jException("--samples-per-prompt must be >= 1");
        }
        PromptSet set = PromptSets.resolve(prompts);
        EvalOptions options = new EvalOptions(samplesPerPrompt, sampling.seed, sampling.batchSize);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("model", modelArgs.model().toString());
        result.put("lora", lora == null ? null : lora.toString());
        result.put("prompt_set", set.name());
        result.put("reward", reward);
        result.put("samples_per_prompt", samplesPerPrompt);
        result.put("steps", sampling.steps);
        result.put("guidance_scale", sampling.guidance);
        result.put("eta", sampling.eta);
        result.put("seed", sampling.seed);
        Map<String, Object> details = new LinkedHashMap<>(result);
        try (Reward r = Rewards.create(reward);
                StableDiffusionPipeline pipe = StableDiffusionPipeline.load(modelArgs.model());
                NDManager keep = NDManager.newBaseManager()) {
            LoraLayers layers = lora == null ? null : LoraFiles.apply(lora, pipe.unet(), modelArgs.loraRank, keep);
            if (compare) {
                layers.setEnabled(false);
                EvalResult base = run(pipe, set, r, options, "base");
                layers.setEnabled(true);
                EvalResult tuned = run(pipe, set, r, options, "fine_tuned");
                result.put("base", summary(base));
                result.put("fine_tuned", summary(tuned));
                result.put("difference", tuned.differenceFrom(base));
                details.putAll(result);
                details.put("base", withSamples(base, "base"));
                details.put("fine_tuned", withSamples(tuned, "fine_tuned"));
            } else {
                EvalResult res = run(pipe, set, r, options, null);
                result.putAll(summary(res));
                details.putAll(result);
                details.put("samples", samples(res, null));
            }
        }
        if (out != null) {
            AtomicFile.write(out.resolve("eval.json"),
                    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(details));
        }
        spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(result));
        spec.commandLine().getOut().flush();
        return 0;
    }

    private EvalResult run(StableDiffusionPipeline pipe, PromptSet set, Reward r, EvalOptions options, String sub)
            throws IOException {
        Path dir = out == null ? null : sub == null ? out : out.resolve(sub);
        if (dir != null) {
            Files.createDirectories(dir);
        }
        int batches = (set.size() * options.samplesPerPrompt() + options.batchSize() - 1) / options.batchSize();
        ProgressBar bar = new ProgressBar(sub == null ? "eval" : "eval " + sub, batches * sampling.steps,
                System.err);
        return Evaluator.evaluate(pipe.sampler(sampling.options()), set, r, options, new Evaluator.Listener() {
            @Override
            public void progress(int done, int total) {
                bar.update(done);
            }

            @Override
            public void image(int index, PromptSample prompt, float[] chw, int h, int w) {
                if (dir != null) {
                    ImageFiles.writePng(chw, 0, h, w, dir.resolve(fileName(index)));
                }
            }
        });
    }

    private static String fileName(int index) {
        return String.format("%06d.png", index);
    }

    private static Map<String, Object> summary(EvalResult r) {
        Map<String, Object> m = r.summary();
        m.remove("prompt_set"); // printed once at the top
        return m;
    }

    private Map<String, Object> withSamples(EvalResult r, String sub) {
        Map<String, Object> m = summary(r);
        m.put("samples", samples(r, sub));
        return m;
    }

    private List<Map<String, Object>> samples(EvalResult r, String sub) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (EvalSample s : r.samples()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", s.index());
            m.put("prompt", s.prompt());
            m.put("repeat", s.repeat());
            m.put("noise_seed", s.noiseSeed());
            m.put("reward", s.reward());
            m.put("info", s.info());
            if (out != null) {
                m.put("file", (sub == null ? "" : sub + "/") + fileName(s.index()));
            }
            list.add(m);
        }
        return list;
    }
}
