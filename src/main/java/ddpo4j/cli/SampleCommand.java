package ddpo4j.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import ddpo4j.Ddpo4jException;
import ddpo4j.io.AtomicFile;
import ddpo4j.io.ImageFiles;
import ddpo4j.io.LoraFiles;
import ddpo4j.io.SafetensorsWriter;
import ddpo4j.pipeline.NoiseSource;
import ddpo4j.pipeline.ReplayNoise;
import ddpo4j.pipeline.SamplingOptions;
import ddpo4j.pipeline.SeededNoise;
import ddpo4j.pipeline.StableDiffusionPipeline;
import ddpo4j.pipeline.Trajectory;
import ddpo4j.prompts.PromptFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ddpo4j sample}: images (and optionally their trajectories) from a diffusers model folder. */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Sample images with DDIM (eta > 0 gives exact per-step log-probs) and classifier-free guidance.")
public final class SampleCommand implements Callable<Integer> {
    @Mixin
    ModelArgs modelArgs;

    @Mixin
    SamplingArgs sampling;

    @ArgGroup(exclusive = true, multiplicity = "1")
    PromptSource prompts;

    static final class PromptSource {
        @Option(names = "--prompt", description = "a prompt (repeatable)")
        List<String> prompt;

        @Option(names = "--prompts", description = "text file, one prompt per line")
        Path file;
    }

    @Option(names = "--out", required = true, description = "output folder for PNGs and samples.json")
    Path out;

    @Option(names = "--replay-noise", description = "safetensors with init_latents [B,C,h,w] and step_noise [T,B,C,h,w]")
    Path replayNoise;

    @Option(names = "--save-trajectory", description = "write latents, log_probs, timesteps and image to this safetensors file")
    Path saveTrajectory;

    @Override
    public Integer call() throws Exception {
        List<String> promptList = prompts.prompt != null ? prompts.prompt : PromptFile.read(prompts.file);
        if (promptList.isEmpty()) {
            throw new Ddpo4jException("no prompts given");
        }
        ReplayNoise replay = replayNoise == null ? null : ReplayNoise.read(replayNoise);
        if (replay != null && replay.batchSize() != promptList.size()) {
            throw new Ddpo4jException("--replay-noise " + replayNoise + " holds noise for " + replay.batchSize()
                    + " samples but " + promptList.size() + " prompts were given");
        }
        SamplingOptions options = sampling.options();
        Files.createDirectories(out);
        List<Map<String, Object>> images = new ArrayList<>();
        try (StableDiffusionPipeline pipe = StableDiffusionPipeline.load(modelArgs.model());
                NDManager keep = NDManager.newBaseManager()) {
            if (modelArgs.lora != null) {
                LoraFiles.apply(modelArgs.lora, pipe.unet(), modelArgs.loraRank, keep);
            }
            int batch = replay != null ? promptList.size() : sampling.batchSize;
            List<NDArray> latents = new ArrayList<>();
            List<NDArray> logProbs = new ArrayList<>();
            List<NDArray> pictures = new ArrayList<>();
            long[] timesteps = null;
            int total = (promptList.size() + batch - 1) / batch * options.steps();
            ProgressBar bar = new ProgressBar("sampling", total, System.err);
            for (int start = 0; start < promptList.size(); start += batch) {
                List<String> chunk = promptList.subList(start, Math.min(start + batch, promptList.size()));
                long[] indices = new long[chunk.size()];
                for (int i = 0; i < indices.length; i++) {
                    indices[i] = start + i;
                }
                NoiseSource noise = replay != null ? replay : new SeededNoise(sampling.seed, indices);
                int done = start / batch * options.steps();
                try (NDManager m = keep.newSubManager()) {
                    Trajectory tr = pipe.sample(chunk, options, noise, m, s -> bar.update(done + s));
                    timesteps = tr.timesteps();
                    float[] pixels = tr.images().toFloatArray();
                    long[] shape = tr.images().getShape().getShape();
                    int per = (int) (shape[1] * shape[2] * shape[3]);
                    for (int i = 0; i < chunk.size(); i++) {
                        String name = String.format("%06d.png", start + i);
                        ImageFiles.writePng(pixels, i * per, (int) shape[2], (int) shape[3], out.resolve(name));
                        Map<String, Object> info = new LinkedHashMap<>();
                        info.put("file", name);
                        info.put("prompt", chunk.get(i));
                        info.put("index", start + i);
                        images.add(info);
                    }
                    if (saveTrajectory != null) {
                        for (NDArray a : new NDArray[] {tr.latents(), tr.logProbs(), tr.images()}) {
                            if (a != null) {
                                a.attach(keep);
                            }
                        }
                        latents.add(tr.latents());
                        pictures.add(tr.images());
                        if (tr.logProbs() != null) {
                            logProbs.add(tr.logProbs());
                        }
                    }
                }
            }
            if (saveTrajectory != null) {
                Map<String, NDArray> tensors = new LinkedHashMap<>();
                tensors.put("latents", NDArrays.concat(new NDList(latents)));
                if (!logProbs.isEmpty()) {
                    tensors.put("log_probs", NDArrays.concat(new NDList(logProbs)));
                }
                tensors.put("timesteps", keep.create(timesteps));
                tensors.put("image", NDArrays.concat(new NDList(pictures)));
                Map<String, String> meta = new LinkedHashMap<>();
                meta.put("prompts", new ObjectMapper().writeValueAsString(promptList));
                meta.put("num_inference_steps", Integer.toString(sampling.steps));
                meta.put("guidance_scale", Double.toString(sampling.guidance));
                meta.put("eta", Double.toString(sampling.eta));
                SafetensorsWriter.write(saveTrajectory, tensors, meta);
            }
        }
        Map<String, Object> sidecar = new LinkedHashMap<>();
        sidecar.put("model", modelArgs.model().toAbsolutePath().normalize().toString());
        sidecar.put("steps", sampling.steps);
        sidecar.put("guidance_scale", sampling.guidance);
        sidecar.put("eta", sampling.eta);
        sidecar.put("seed", sampling.seed);
        sidecar.put("batch_size", sampling.batchSize);
        sidecar.put("lora", modelArgs.lora == null ? null : modelArgs.lora.toAbsolutePath().normalize().toString());
        sidecar.put("noise", replayNoise != null ? "replay:" + replayNoise : "seeded (SeededNoise.sampleSeed)");
        sidecar.put("images", images);
        byte[] json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(sidecar);
        AtomicFile.write(out.resolve("samples.json"), json);
        System.out.println("wrote " + images.size() + " image(s) to " + out);
        return 0;
    }
}
