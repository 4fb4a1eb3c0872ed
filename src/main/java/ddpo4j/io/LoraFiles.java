package ddpo4j.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import ddpo4j.Ddpo4jException;
import ddpo4j.nn.LoraLayers;
import ddpo4j.nn.Module;
import ddpo4j.nn.Parameter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * LoRA weights on disk in the PEFT / diffusers layout: {@code pytorch_lora_weights.safetensors}
 * with keys {@code unet.<module>.lora_A.weight} / {@code lora_B.weight}, and a PEFT
 * {@code adapter_config.json}, which {@code pipeline.load_lora_weights(dir)} accepts. Rank and
 * alpha travel in the weights' header as diffusers' {@link LoraAdapterMetadata}.
 */
public final class LoraFiles {
    public static final String WEIGHTS = "pytorch_lora_weights.safetensors";
    public static final String ADAPTER_CONFIG = "adapter_config.json";
    public static final String PREFIX = "unet.";
    // diffusers 0.17 attention-processor names: <module>.processor.to_q_lora.down.weight
    private static final Pattern DIFFUSERS_017 = Pattern.compile(
            "^(.*)\\.processor\\.(to_q|to_k|to_v|to_out)_lora\\.(down|up)\\.weight$");
    // diffusers 0.2x "unet.<module>.lora.down.weight"
    private static final Pattern DIFFUSERS_LORA = Pattern.compile("^(.*)\\.lora\\.(down|up)\\.weight$");

    private LoraFiles() {}

    /**
     * Writes both files into {@code dir} (created if needed), atomically each. The weights' header
     * holds {@code "format": "pt"}, the caller's provenance {@code metadata} and diffusers'
     * {@link LoraAdapterMetadata#KEY}, from which diffusers takes rank and alpha.
     */
    public static void save(Path dir, LoraLayers lora, Map<String, String> metadata) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new Ddpo4jException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        LoraAdapterConfig config = LoraAdapterConfig.of(lora);
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        lora.namedParameters(PREFIX).forEach((k, p) -> tensors.put(k, p.value()));
        SafetensorsWriter.write(dir.resolve(WEIGHTS), tensors, header(config, metadata, dir.resolve(WEIGHTS)));
        try {
            byte[] json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsBytes(config.peftFields());
            AtomicFile.write(dir.resolve(ADAPTER_CONFIG), json);
        } catch (IOException e) {
            throw new Ddpo4jException("cannot write " + dir.resolve(ADAPTER_CONFIG) + ": " + e.getMessage(), e);
        }
    }

    /** diffusers' header layout: format first, then provenance, then the adapter metadata. */
    private static Map<String, String> header(LoraAdapterConfig config, Map<String, String> metadata, Path file) {
        Map<String, String> header = new LinkedHashMap<>();
        header.put("format", "pt");
        if (metadata != null) {
            if (metadata.containsKey(LoraAdapterMetadata.KEY)) {
                throw new Ddpo4jException("cannot write " + file + ": metadata key " + LoraAdapterMetadata.KEY
                        + " is reserved for the adapter's own config");
            }
            header.putAll(metadata);
        }
        header.put(LoraAdapterMetadata.KEY, LoraAdapterMetadata.encode(config));
        return header;
    }

    /**
     * Loads LoRA weights into installed adapters (values set in {@code manager}). Accepts PEFT keys,
     * diffusers 0.17 attention-processor keys and diffusers {@code .lora.down/up} keys; every
     * adapter must be covered and no key may be left over, and the rank and alpha the file
     * declares (see {@link #declaredConfig}) must be the adapters' own.
     */
    public static void load(Path file, LoraLayers lora, NDManager manager) {
        Path weights = weightsFile(file);
        Map<String, Parameter> params = lora.namedParameters(PREFIX);
        try (SafetensorsReader r = SafetensorsReader.open(weights)) {
            Map<String, String> fileKeyFor = new LinkedHashMap<>();
            List<String> problems = new ArrayList<>();
            for (String key : r.keys()) {
                String name = canonical(key);
                Parameter p = params.get(name);
                if (p == null) {
                    problems.add("unexpected key " + key);
                } else if (!new Shape(r.info(key).shape()).equals(p.shape())) {
                    problems.add("key " + key + " has shape " + Arrays.toString(r.info(key).shape())
                            + ", adapter expects " + p.shape() + " (different rank or model?)");
                } else {
                    fileKeyFor.put(name, key);
                }
            }
            for (String name : params.keySet()) {
                if (!fileKeyFor.containsKey(name)) {
                    problems.add("missing key " + name);
                }
            }
            if (!problems.isEmpty()) {
                throw new Ddpo4jException("cannot load LoRA " + weights + ": "
                        + String.join("; ", problems.subList(0, Math.min(20, problems.size())))
                        + (problems.size() > 20 ? "; … (" + (problems.size() - 20) + " more)" : ""));
            }
            declaredConfig(r).ifPresent(d -> d.requireMatches(lora));
            fileKeyFor.forEach((name, key) -> params.get(name).set(r.load(key, manager)));
        }
    }

    /**
     * Installs adapters on the {@code unet} layers the file declares as its {@code target_modules}
     * (without a declaration: the attention projections) and loads {@code file} into them.
     * Rank and alpha are the ones the file declares ({@link #declaredConfig}); without a
     * declaration the rank is read from the weights (the first lora_A's rows) and alpha = rank
     * (scale 1, diffusers' default). A {@code rank} > 0 is a request the file must agree with.
     */
    public static LoraLayers apply(Path file, Module unet, int rank, NDManager manager) {
        Path weights = weightsFile(file);
        Optional<DeclaredConfig> declared;
        int weightRank;
        try (SafetensorsReader reader = SafetensorsReader.open(weights)) {
            declared = declaredConfig(reader);
            String first = reader.keys().stream().filter(k -> k.contains("lora_A") || k.contains("lora.down")
                    || k.contains("_lora.down")).findFirst().orElseThrow(() -> new Ddpo4jException(
                            "no LoRA down/lora_A weights in " + weights));
            weightRank = (int) reader.info(first).shape()[0];
        }
        declared.ifPresent(d -> {
            if (d.config().rank() != weightRank) {
                throw new Ddpo4jException("LoRA " + d.source() + " declares r=" + d.config().rank()
                        + ", but its weights have rank " + weightRank);
            }
        });
        int r = rank > 0 ? rank : declared.map(d -> d.config().rank()).orElse(weightRank);
        double alpha = declared.map(d -> d.config().alpha()).orElse((double) r);
        List<String> targets = declared.map(d -> d.config().targetModules()).orElse(LoraLayers.ATTENTION_TARGETS);
        LoraLayers lora = LoraLayers.install(unet, targets, r, alpha);
        load(weights, lora, manager);
        return lora;
    }

    /**
     * The rank and alpha a LoRA file declares: its header's {@link LoraAdapterMetadata#KEY} (what
     * diffusers reads, so it wins), else {@code adapter_config.json} beside it, else nothing.
     * Either, when malformed, is an error naming the file.
     */
    public static Optional<LoraAdapterConfig> declaredConfig(Path file) {
        try (SafetensorsReader r = SafetensorsReader.open(weightsFile(file))) {
            return declaredConfig(r).map(DeclaredConfig::config);
        }
    }

    private static Optional<DeclaredConfig> declaredConfig(SafetensorsReader weights) {
        Optional<LoraAdapterConfig> inHeader = LoraAdapterMetadata.decode(weights.metadata(), weights.file());
        if (inHeader.isPresent()) {
            return Optional.of(new DeclaredConfig(inHeader.get(),
                    weights.file() + " (its __metadata__ " + LoraAdapterMetadata.KEY + ")"));
        }
        Path cfg = weights.file().resolveSibling(ADAPTER_CONFIG);
        if (!Files.isRegularFile(cfg)) {
            return Optional.empty();
        }
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(cfg.toFile());
        } catch (IOException e) {
            throw new Ddpo4jException("invalid JSON in " + cfg + ": " + e.getMessage(), e);
        }
        return Optional.of(new DeclaredConfig(LoraAdapterConfig.fromPeftFields(json, cfg.toString()), cfg.toString()));
    }

    /** A declared config and where it was read, for the error when it disagrees. */
    private record DeclaredConfig(LoraAdapterConfig config, String source) {
        void requireMatches(LoraLayers lora) {
            if (config.rank() != lora.rank() || config.alpha() != lora.alpha()) {
                throw new Ddpo4jException("LoRA " + source + " declares r=" + config.rank() + ", lora_alpha="
                        + config.alpha() + " (scale " + config.scale() + "), but the adapter it is loaded into has"
                        + " rank " + lora.rank() + ", alpha " + lora.alpha() + ": set lora_rank / lora_alpha"
                        + " (or --lora-rank) to the file's values");
            }
        }
    }

    private static Path weightsFile(Path file) {
        return Files.isDirectory(file) ? file.resolve(WEIGHTS) : file;
    }

    /** Maps any supported naming to PEFT's {@code unet.<module>.lora_A.weight}. */
    static String canonical(String key) {
        Matcher m = DIFFUSERS_017.matcher(key);
        if (m.matches()) {
            String proj = m.group(2).equals("to_out") ? "to_out.0" : m.group(2);
            return PREFIX + m.group(1) + "." + proj + (m.group(3).equals("down") ? ".lora_A" : ".lora_B") + ".weight";
        }
        m = DIFFUSERS_LORA.matcher(key);
        if (m.matches()) {
            String base = m.group(1).startsWith(PREFIX) ? m.group(1) : PREFIX + m.group(1);
            return base + (m.group(2).equals("down") ? ".lora_A" : ".lora_B") + ".weight";
        }
        return key.startsWith(PREFIX) ? key : PREFIX + key;
    }
}
