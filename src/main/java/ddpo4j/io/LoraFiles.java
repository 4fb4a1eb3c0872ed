package ddpo4j.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import ddpo4j.Ddpo4jException;
import ddpo4j.nn.LoraLayers;
import ddpo4j.nn.Parameter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * LoRA weights on disk in the PEFT / diffusers layout: {@code pytorch_lora_weights.safetensors}
 * with keys {@code unet.<module>.lora_A.weight} / {@code lora_B.weight}, and a PEFT
 * {@code adapter_config.json}, which {@code pipeline.load_lora_weights(dir)} accepts.
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

    /** Writes both files into {@code dir} (created if needed), atomically each. */
    public static void save(Path dir, LoraLayers lora, Map<String, String> metadata) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new Ddpo4jException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        lora.namedParameters(PREFIX).forEach((k, p) -> tensors.put(k, p.value()));
        SafetensorsWriter.write(dir.resolve(WEIGHTS), tensors, metadata);
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("peft_type", "LORA");
        cfg.put("r", lora.rank());
        cfg.put("lora_alpha", lora.alpha());
        cfg.put("lora_dropout", 0.0);
        cfg.put("bias", "none");
        cfg.put("init_lora_weights", "gaussian");
        cfg.put("target_modules", List.of("to_q", "to_k", "to_v", "to_out.0"));
        cfg.put("task_type", null);
        try {
            byte[] json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(cfg);
            AtomicFile.write(dir.resolve(ADAPTER_CONFIG), json);
        } catch (IOException e) {
            throw new Ddpo4jException("cannot write " + dir.resolve(ADAPTER_CONFIG) + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads LoRA weights into installed adapters (values set in {@code manager}). Accepts PEFT keys,
     * diffusers 0.17 attention-processor keys and diffusers {@code .lora.down/up} keys; every
     * adapter must be covered and no key may be left over.
     */
    public static void load(Path file, LoraLayers lora, NDManager manager) {
        Path weights = Files.isDirectory(file) ? file.resolve(WEIGHTS) : file;
        Map<String, Parameter> params = lora.namedParameters(PREFIX);
        try (SafetensorsReader r = SafetensorsReader.open(weights)) {
            Map<String, String> fileKeyFor = new LinkedHashMap<>();
            List<String> problems = new ArrayList<>();
            for (String key : r.keys()) {
                String name = canonical(key);
                Parameter p = params.get(name);
                if (p == null) {
                    problems.add("unexpected key " + key);
                } else if (!new ai.djl.ndarray.types.Shape(r.info(key).shape()).equals(p.shape())) {
                    problems.add("key " + key + " has shape " + java.util.Arrays.toString(r.info(key).shape())
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
            fileKeyFor.forEach((name, key) -> params.get(name).set(r.load(key, manager)));
        }
    }

    /**
     * Installs adapters on {@code unet}'s attention projections and loads {@code file} into them.
     * The rank comes from the file (the first lora_A's rows) unless {@code rank} > 0; alpha from
     * {@code adapter_config.json} beside it, else alpha = rank (scale 1, diffusers' default).
     */
    public static LoraLayers apply(Path file, ddpo4j.nn.Module unet, int rank, NDManager manager) {
        Path weights = Files.isDirectory(file) ? file.resolve(WEIGHTS) : file;
        int r = rank;
        if (r <= 0) {
            try (SafetensorsReader reader = SafetensorsReader.open(weights)) {
                String first = reader.keys().stream().filter(k -> k.contains("lora_A") || k.contains("lora.down")
                        || k.contains("_lora.down")).findFirst().orElseThrow(() -> new Ddpo4jException(
                                "no LoRA down/lora_A weights in " + weights));
                r = (int) reader.info(first).shape()[0];
            }
        }
        double alpha = r;
        Path cfg = weights.resolveSibling(ADAPTER_CONFIG);
        if (Files.isRegularFile(cfg)) {
            try {
                com.fasterxml.jackson.databind.JsonNode n = new ObjectMapper().readTree(cfg.toFile());
                if (n.has("lora_alpha")) {
                    alpha = n.get("lora_alpha").asDouble();
                }
            } catch (IOException e) {
                throw new Ddpo4jException("invalid JSON in " + cfg + ": " + e.getMessage(), e);
            }
        }
        LoraLayers lora = LoraLayers.install(unet, LoraLayers.ATTENTION_PROJECTIONS, r, alpha);
        load(weights, lora, manager);
        return lora;
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
