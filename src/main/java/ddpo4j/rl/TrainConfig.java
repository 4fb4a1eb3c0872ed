package ddpo4j.rl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import ddpo4j.Ddpo4jException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Training settings under ddpo-pytorch's {@code config/base.py} key names (so configs carry over),
 * plus ddpo4j's additions. Read from YAML or JSON (nested or dotted keys), overridden by
 * {@code key=value} pairs; unknown keys and ill-typed values are errors naming the key.
 */
public final class TrainConfig {
    /** One key: its default (whose type is the key's type) and what it means. */
    public record Key(String name, Object defaultValue, String doc) {}

    private static final List<Key> KEYS = List.of(
            new Key("run_name", "", "name shown in logs and the report"),
            new Key("seed", 42L, "seed for prompts, noise, LoRA init and shuffles; every draw derives from (seed, epoch)"),
            new Key("num_epochs", 100L, "epochs of sampling + training"),
            new Key("save_freq", 20L, "checkpoint every this many epochs (and at the end)"),
            new Key("num_checkpoint_limit", 5L, "checkpoints kept (oldest deleted)"),
            new Key("use_lora", true, "train LoRA adapters (true) or the whole UNet (false)"),
            new Key("lora_rank", 4L, "ddpo4j: LoRA rank"),
            new Key("lora_alpha", 4.0, "ddpo4j: LoRA alpha; the update is scaled by alpha/rank"),
            new Key("lora_targets", "to_q,to_k,to_v,to_out.0", "ddpo4j: UNet layers LoRA adapts, comma-separated module"
                    + " names or their last parts as PEFT's target_modules (linear and convolution layers)"),
            new Key("init_lora", "", "ddpo4j: LoRA safetensors (or folder) to start from"),
            new Key("pretrained.model", "", "diffusers model folder"),
            new Key("pretrained.revision", "main", "accepted for compatibility; no effect (folders are local)"),
            new Key("mixed_precision", "no", "accepted for compatibility; ddpo4j computes in float32"),
            new Key("allow_tf32", true, "accepted for compatibility; no effect on CPU"),
            new Key("logdir", "runs", "parent folder of run dirs when --run-dir is not given"),
            new Key("resume_from", "", "accepted for compatibility; use --resume DIR"),
            new Key("sample.num_steps", 50L, "DDIM steps per trajectory"),
            new Key("sample.eta", 1.0, "DDIM eta (> 0: each step is a Gaussian policy)"),
            new Key("sample.guidance_scale", 5.0, "classifier-free guidance scale"),
            new Key("sample.batch_size", 1L, "images per sampling batch"),
            new Key("sample.num_batches_per_epoch", 2L, "sampling batches per epoch"),
            new Key("sample.height", 0L, "ddpo4j: image height (0 = the model's default)"),
            new Key("sample.width", 0L, "ddpo4j: image width (0 = the model's default)"),
            new Key("train.algorithm", "is", "ddpo4j: is (DDPO-IS, PPO clip) or sf (DDPO-SF, one step per epoch)"),
            new Key("train.batch_size", 1L, "samples per training minibatch"),
            new Key("train.use_8bit_adam", false, "must be false (no 8-bit Adam on the JVM)"),
            new Key("train.learning_rate", 3e-4, "AdamW learning rate"),
            new Key("train.adam_beta1", 0.9, "AdamW beta1"),
            new Key("train.adam_beta2", 0.999, "AdamW beta2"),
            new Key("train.adam_weight_decay", 1e-4, "AdamW decoupled weight decay"),
            new Key("train.adam_epsilon", 1e-8, "AdamW epsilon"),
            new Key("train.gradient_accumulation_steps", 1L, "minibatches per optimizer step"),
            new Key("train.max_grad_norm", 1.0, "global gradient-norm clip"),
            new Key("train.num_inner_epochs", 1L, "passes over each epoch's samples"),
            new Key("train.cfg", true, "recompute log-probs with classifier-free guidance"),
            new Key("train.adv_clip_max", 5.0, "advantages clipped to +-this"),
            new Key("train.clip_range", 1e-4, "PPO clip range epsilon"),
            new Key("train.timestep_fraction", 1.0, "fraction of each trajectory's timesteps trained on"),
            new Key("train.skip_last_steps", 0L, "ddpo4j: never train on the last N denoising steps (their small"
                    + " variance makes their log-prob gradients dominate; see docs/configuration.md)"),
            new Key("train.timestep_weighting", "none", "ddpo4j: none, or equalize: each step's loss term divided by its"
                    + " output gain |d mean / d output| / sigma (normalized to mean 1 over the trainable steps), so"
                    + " every step's policy gradient reaches the model equally (see docs/configuration.md)"),
            new Key("train.kl_beta", 0.0, "ddpo4j: weight of the KL penalty to the base model (LoRA only)"),
            new Key("train.max_nonfinite_in_a_row", 3L, "ddpo4j: the run stops after this many skipped optimizer"
                    + " steps (non-finite loss or grad norm) in a row, or reward batches with a non-finite score in a row"),
            new Key("train.detect_anomaly", false, "ddpo4j: after each backward, stop at the first non-finite loss or"
                    + " gradient, naming the parameter, epoch, optimizer step, timestep index and rows (--detect-anomaly)"),
            new Key("prompt_fn", "fixed", "prompt function (see docs/configuration.md, Prompt functions)"),
            new Key("reward_fn", "jpeg_compressibility", "reward spec, e.g. jpeg_compressibility or http:url=..."),
            new Key("reward_failure", "stop", "ddpo4j: stop (checkpoint and stop) or drop (drop failed samples)"),
            new Key("advantage", "per_prompt", "ddpo4j: per_prompt, batch, group or group_centered"),
            new Key("group_size", 1L, "ddpo4j: each drawn prompt is sampled this many times in a row (K of GRPO-style groups)"),
            new Key("sample.shared_initial_noise", false, "ddpo4j: a group's samples start from the same initial latents"
                    + " (each keeps its own step noise), so their reward spread comes from the policy's actions alone"),
            new Key("per_prompt_stat_tracking.buffer_size", 16L, "rewards kept per prompt"),
            new Key("per_prompt_stat_tracking.min_count", 16L, "rewards needed before per-prompt statistics are used"),
            new Key("save_images", 4L, "ddpo4j: sample images saved per epoch under samples/"),
            new Key("ratio_tolerance", 1e-3, "ddpo4j: on-policy self-test: max |ratio_at_start - 1|"),
            new Key("eval.sets", "", "ddpo4j: comma-separated prompt sets or files evaluated with fixed seeds (report curves);"
                    + " name=N evaluates that set with N images per prompt"),
            new Key("eval.freq", 1L, "ddpo4j: evaluate the policy entering every this many epochs (and the final one)"),
            new Key("eval.samples_per_prompt", 1L, "ddpo4j: evaluation images per prompt"),
            new Key("eval.grid", 8L, "ddpo4j: fixed-seed images of the first eval set saved per evaluated epoch"),
            new Key("eval.reward", "", "ddpo4j: reward spec the evaluation scores with (empty: reward_fn); an"
                    + " independent (gold) measure makes the eval curves a guard against a gamed proxy"),
            new Key("guard.metric", "", "ddpo4j: epoch-line metric the over-optimization guard watches, e.g."
                    + " eval.counting-heldout.reward_mean (empty: no guard)"),
            new Key("guard.mode", "max", "ddpo4j: max or min: which direction of guard.metric is better"),
            new Key("guard.action", "warn", "ddpo4j: warn, stop (checkpoint and end the run) or keep_best (keep the"
                    + " best policy's LoRA in best/lora) once guard.metric has not improved for guard.patience"
                    + " evaluations"),
            new Key("guard.patience", 3L, "ddpo4j: evaluations in a row without improvement before the guard acts"),
            new Key("guard.min_delta", 0.0, "ddpo4j: an improvement of guard.metric must exceed this"),
            new Key("guard.monitor_reward", "", "ddpo4j: a second reward spec scored on every training sample and"
                    + " never trained on: monitor.mean and its correlation with the training reward (empty: none)"),
            new Key("guard.kl_to_base", true, "ddpo4j: log kl_to_base, the KL of the updated policy's steps to the"
                    + " base model's on the epoch's first minibatch (LoRA only; two forward passes)"));
    private static final String KWARGS = "prompt_fn_kwargs.";

    private final Map<String, Object> values;

    private TrainConfig(Map<String, Object> values) {
        this.values = values;
    }

    public static List<Key> keys() {
        return KEYS;
    }

    /** Defaults, then the file (if any), then each {@code key=value} override in order. */
    public static TrainConfig resolve(Path file, List<String> overrides) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Key k : KEYS) {
            values.put(k.name(), k.defaultValue());
        }
        if (file != null) {
            JsonNode root;
            try {
                root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
            } catch (IOException e) {
                throw new Ddpo4jException("cannot read config " + file + ": " + e.getMessage(), e);
            }
            if (root != null && !root.isNull()) {
                if (!root.isObject()) {
                    throw new Ddpo4jException("config " + file + " must be a mapping of keys to values");
                }
                Map<String, JsonNode> flat = new LinkedHashMap<>();
                flatten("", root, flat);
                flat.forEach((k, v) -> values.put(k, convert(k, v.isTextual() ? v.textValue() : v.toString(),
                        "config " + file)));
            }
        }
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new Ddpo4jException("--set expects key=value, got \"" + o + "\"");
            }
            String k = o.substring(0, eq).strip();
            values.put(k, convert(k, o.substring(eq + 1).strip(), "--set"));
        }
        return new TrainConfig(values);
    }

    private static void flatten(String prefix, JsonNode node, Map<String, JsonNode> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix + e.getKey();
            if (e.getValue().isObject()) {
                flatten(key + ".", e.getValue(), out);
            } else {
                out.put(key, e.getValue());
            }
        }
    }

    private static Object convert(String key, String raw, String where) {
        if (key.startsWith(KWARGS) && key.length() > KWARGS.length()) {
            return raw;
        }
        Key k = KEYS.stream().filter(x -> x.name().equals(key)).findFirst().orElseThrow(() -> new Ddpo4jException(
                where + ": unknown config key \"" + key + "\" (see docs/configuration.md)"));
        Object d = k.defaultValue();
        try {
            if (d instanceof Long) {
                return Long.parseLong(raw);
            } else if (d instanceof Double) {
                return Double.parseDouble(raw);
            } else if (d instanceof Boolean) {
                if (!raw.equalsIgnoreCase("true") && !raw.equalsIgnoreCase("false")) {
                    throw new NumberFormatException();
                }
                return Boolean.parseBoolean(raw.toLowerCase());
            }
            return raw;
        } catch (NumberFormatException e) {
            throw new Ddpo4jException(where + ": key \"" + key + "\" must be " + d.getClass().getSimpleName()
                    .replace("Long", "an integer").replace("Double", "a number").replace("Boolean", "true or false")
                    + ", got \"" + raw + "\"");
        }
    }

    public long getLong(String key) {
        return (Long) get(key);
    }

    public int getInt(String key) {
        return Math.toIntExact(getLong(key));
    }

    public double getDouble(String key) {
        return (Double) get(key);
    }

    public boolean getBool(String key) {
        return (Boolean) get(key);
    }

    public String getString(String key) {
        return (String) get(key);
    }

    private Object get(String key) {
        if (!values.containsKey(key)) {
            throw new IllegalArgumentException("no config key " + key);
        }
        return values.get(key);
    }

    /** The prompt function's keyword arguments ({@code prompt_fn_kwargs.*}). */
    public Map<String, String> promptFnKwargs() {
        Map<String, String> out = new TreeMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(KWARGS)) {
                out.put(k.substring(KWARGS.length()), (String) v);
            }
        });
        return out;
    }

    /** A copy with one key replaced (tests, resume overrides). */
    public TrainConfig with(String key, String value) {
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.put(key, convert(key, value, "override"));
        return new TrainConfig(copy);
    }

    /** The resolved config as nested YAML, as saved in the run dir. */
    public String toYaml() {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        ObjectNode root = yaml.createObjectNode();
        values.forEach((k, v) -> {
            String[] parts = k.split("\\.");
            ObjectNode node = root;
            for (int i = 0; i < parts.length - 1; i++) {
                node = node.has(parts[i]) ? (ObjectNode) node.get(parts[i]) : node.putObject(parts[i]);
            }
            node.putPOJO(parts[parts.length - 1], v);
        });
        try {
            return yaml.writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An eval set and its images per prompt. */
    public record EvalSetSpec(String name, int samplesPerPrompt) {}

    /**
     * The sets of {@code eval.sets} in order: each item a prompt set or file, optionally {@code =N}
     * for its images per prompt (else {@code eval.samples_per_prompt}); a held-out split may need
     * more samples for a tight paired difference than the train split's many prompts do.
     */
    /** {@code lora_targets} as a list (PEFT's {@code target_modules}). */
    public List<String> loraTargets() {
        return Arrays.stream(getString("lora_targets").split(",")).map(String::strip).filter(t -> !t.isEmpty())
                .toList();
    }

    public List<EvalSetSpec> evalSets() {
        List<EvalSetSpec> out = new ArrayList<>();
        for (String item : getString("eval.sets").split(",")) {
            if (item.isBlank()) {
                continue;
            }
            int eq = item.lastIndexOf('=');
            String name = (eq < 0 ? item : item.substring(0, eq)).strip();
            int n = getInt("eval.samples_per_prompt");
            if (eq >= 0) {
                String count = item.substring(eq + 1).strip();
                try {
                    n = Integer.parseInt(count);
                } catch (NumberFormatException e) {
                    throw new Ddpo4jException("eval.sets: \"" + item.strip() + "\": images per prompt after '=' must be"
                            + " a whole number, got \"" + count + "\"");
                }
            }
            if (name.isEmpty() || n < 1) {
                throw new Ddpo4jException("eval.sets: \"" + item.strip() + "\" needs a set name and >= 1 images per prompt");
            }
            out.add(new EvalSetSpec(name, n));
        }
        return out;
    }

    /** Flat key/value view, for provenance metadata. */
    public Map<String, Object> asMap() {
        return Collections.unmodifiableMap(values);
    }

    /** Fails on combinations the trainer cannot run, naming the keys. */
    public void validate() {
        List<String> errors = new ArrayList<>();
        if (getString("pretrained.model").isEmpty()) {
            errors.add("pretrained.model is not set (a diffusers model folder)");
        }
        if (getBool("train.use_8bit_adam")) {
            errors.add("train.use_8bit_adam must be false");
        }
        long total = getLong("sample.batch_size") * getLong("sample.num_batches_per_epoch");
        if (getLong("sample.batch_size") < 1 || getLong("sample.num_batches_per_epoch") < 1) {
            errors.add("sample.batch_size and sample.num_batches_per_epoch must be >= 1");
        } else if (getLong("train.batch_size") < 1 || total % getLong("train.batch_size") != 0) {
            errors.add("sample.batch_size * sample.num_batches_per_epoch (" + total
                    + ") must be a multiple of train.batch_size (" + getLong("train.batch_size") + ")");
        } else if ((total / getLong("train.batch_size")) % getLong("train.gradient_accumulation_steps") != 0) {
            errors.add("the number of training minibatches per epoch (" + total / getLong("train.batch_size")
                    + ") must be a multiple of train.gradient_accumulation_steps");
        }
        if (getLong("group_size") < 1 || total % getLong("group_size") != 0) {
            errors.add("group_size must be >= 1 and divide the samples per epoch (" + total + ")");
        }
        double f = getDouble("train.timestep_fraction");
        if (!(f > 0 && f <= 1)) {
            errors.add("train.timestep_fraction must be in (0, 1]");
        }
        long skip = getLong("train.skip_last_steps");
        if (skip < 0 || skip >= getLong("sample.num_steps")) {
            errors.add("train.skip_last_steps must be in [0, sample.num_steps) (" + getLong("sample.num_steps")
                    + "), got " + skip);
        }
        if (getBool("use_lora") && loraTargets().isEmpty()) {
            errors.add("lora_targets names no layer (e.g. to_q,to_k,to_v,to_out.0)");
        }
        if (!List.of("none", "equalize").contains(getString("train.timestep_weighting"))) {
            errors.add("train.timestep_weighting must be none or equalize, got \"" + getString("train.timestep_weighting")
                    + "\"");
        }
        if (getDouble("sample.eta") <= 0) {
            errors.add("sample.eta must be > 0 (with eta = 0 the policy is deterministic: no log-probs)");
        }
        if (!List.of("is", "sf").contains(getString("train.algorithm"))) {
            errors.add("train.algorithm must be is or sf");
        }
        if (!List.of("per_prompt", "batch", "group", "group_centered").contains(getString("advantage"))) {
            errors.add("advantage must be per_prompt, batch, group or group_centered");
        }
        if (!List.of("stop", "drop").contains(getString("reward_failure"))) {
            errors.add("reward_failure must be stop or drop");
        }
        if (getDouble("train.kl_beta") > 0 && !getBool("use_lora")) {
            errors.add("train.kl_beta > 0 needs use_lora (the reference policy is the model without LoRA)");
        }
        if (getLong("train.max_nonfinite_in_a_row") < 1) {
            errors.add("train.max_nonfinite_in_a_row must be >= 1");
        }
        if (!List.of("max", "min").contains(getString("guard.mode"))) {
            errors.add("guard.mode must be max or min");
        }
        if (!List.of("warn", "stop", "keep_best").contains(getString("guard.action"))) {
            errors.add("guard.action must be warn, stop or keep_best");
        } else if (getString("guard.action").equals("keep_best") && !getBool("use_lora")) {
            errors.add("guard.action=keep_best needs use_lora (it keeps the best LoRA)");
        }
        if (getLong("guard.patience") < 1) {
            errors.add("guard.patience must be >= 1");
        }
        if (!getString("guard.metric").isEmpty() && getString("eval.sets").isBlank()
                && getString("guard.metric").startsWith("eval.")) {
            errors.add("guard.metric " + getString("guard.metric") + " needs eval.sets (nothing is evaluated)");
        }
        if (getLong("eval.samples_per_prompt") < 1) {
            errors.add("eval.samples_per_prompt must be >= 1");
        }
        try {
            evalSets();
        } catch (Ddpo4jException e) {
            errors.add(e.getMessage());
        }
        if (getLong("num_epochs") < 1 || getLong("save_freq") < 1) {
            errors.add("num_epochs and save_freq must be >= 1");
        }
        if (!errors.isEmpty()) {
            throw new Ddpo4jException("invalid training config: " + String.join("; ", errors));
        }
    }
}
