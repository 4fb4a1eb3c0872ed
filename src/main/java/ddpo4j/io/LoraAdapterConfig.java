package ddpo4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import ddpo4j.Ddpo4jException;
import ddpo4j.nn.LoraLayers;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The shape of a LoRA adapter as PEFT's {@code LoraConfig} states it: rank {@code r}, {@code
 * lora_alpha} (the update is scaled by alpha / r) and {@code target_modules}. Written both as
 * {@code adapter_config.json} and, for diffusers, inside the weights file's header.
 */
public record LoraAdapterConfig(int rank, double alpha, List<String> targetModules) {
    /** Every attention projection, as PEFT module-name suffixes (ddpo4j's default targets). */
    public static final List<String> ATTENTION_TARGETS = LoraLayers.ATTENTION_TARGETS;

    public LoraAdapterConfig {
        targetModules = List.copyOf(targetModules);
    }

    /** The config of installed adapters. */
    public static LoraAdapterConfig of(LoraLayers lora) {
        return new LoraAdapterConfig(lora.rank(), lora.alpha(), lora.targets());
    }

    /** PEFT's scale of the update, alpha / r. */
    public double scale() {
        return alpha / rank;
    }

    /**
     * The {@code LoraConfig} keyword arguments: every key is a field of PEFT's {@code LoraConfig},
     * because diffusers calls {@code LoraConfig(**metadata)} on them.
     */
    public Map<String, Object> peftFields() {
        Map<String, Object> cfg = new LinkedHashMap<>();
        cfg.put("peft_type", "LORA");
        cfg.put("r", rank);
        // an integral alpha as an int, as PEFT users pass it (Python would print 8.0 for a float)
        cfg.put("lora_alpha", alpha == Math.rint(alpha) && Math.abs(alpha) < 1e15 ? (Object) (long) alpha : alpha);
        cfg.put("lora_dropout", 0.0);
        cfg.put("bias", "none");
        cfg.put("init_lora_weights", "gaussian");
        cfg.put("target_modules", targetModules);
        cfg.put("task_type", null);
        return cfg;
    }

    /**
     * Reads a {@code LoraConfig} as JSON ({@code adapter_config.json}, or diffusers' metadata with
     * its prefix removed). {@code source} names the file and place for errors. Options that would
     * change the scale or the adapter's form (rsLoRA, DoRA, per-module rank or alpha) are refused
     * rather than silently loaded at another scale.
     */
    public static LoraAdapterConfig fromPeftFields(JsonNode n, String source) {
        if (n == null || !n.isObject()) {
            throw new Ddpo4jException(source + ": expected a JSON object of LoraConfig fields, got "
                    + (n == null ? "nothing" : n.getNodeType()));
        }
        JsonNode r = required(n, "r", source);
        if (!r.canConvertToInt() || !r.isIntegralNumber() || r.asInt() < 1) {
            throw new Ddpo4jException(source + ": r must be a positive integer, got " + r);
        }
        JsonNode alpha = required(n, "lora_alpha", source);
        if (!alpha.isNumber() || !Double.isFinite(alpha.asDouble()) || alpha.asDouble() <= 0) {
            throw new Ddpo4jException(source + ": lora_alpha must be a positive number, got " + alpha);
        }
        refuseIf(n, "use_rslora", JsonNode::asBoolean, "rsLoRA (scale alpha/sqrt(r))", source);
        refuseIf(n, "use_dora", JsonNode::asBoolean, "DoRA", source);
        refuseIf(n, "rank_pattern", x -> x.size() > 0, "per-module ranks (rank_pattern)", source);
        refuseIf(n, "alpha_pattern", x -> x.size() > 0, "per-module alphas (alpha_pattern)", source);
        return new LoraAdapterConfig(r.asInt(), alpha.asDouble(), targets(n.get("target_modules"), source));
    }

    private static JsonNode required(JsonNode n, String key, String source) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            throw new Ddpo4jException(source + ": missing " + key);
        }
        return v;
    }

    private static void refuseIf(JsonNode n, String key, Predicate<JsonNode> set, String what,
            String source) {
        JsonNode v = n.get(key);
        if (v != null && !v.isNull() && set.test(v)) {
            throw new Ddpo4jException(source + ": " + key + " = " + v + " asks for " + what
                    + ", which ddpo4j does not support");
        }
    }

    /** PEFT accepts one module name or a list of them; absent means unknown (empty list). */
    private static List<String> targets(JsonNode t, String source) {
        List<String> out = new ArrayList<>();
        if (t == null || t.isNull()) {
            return out;
        }
        if (t.isTextual()) {
            out.add(t.asText());
            return out;
        }
        if (!t.isArray()) {
            throw new Ddpo4jException(source + ": target_modules must be a string or a list of strings, got " + t);
        }
        for (JsonNode e : t) {
            if (!e.isTextual()) {
                throw new Ddpo4jException(source + ": target_modules must be a list of strings, got " + t);
            }
            out.add(e.asText());
        }
        return out;
    }
}
