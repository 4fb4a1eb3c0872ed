package ddpo4j.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ddpo4j.Ddpo4jException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * diffusers' LoRA adapter metadata: one safetensors {@code __metadata__} entry, {@code
 * lora_adapter_metadata}, whose value is a JSON string of PEFT {@code LoraConfig} fields, each key
 * prefixed by the component ({@code "unet.r"}, {@code "unet.lora_alpha"}, …).
 *
 * <p>Format as in diffusers' {@code loaders/lora_base.py}: {@code _save_lora_weights} prefixes the
 * keys with {@code _pack_dict_with_prefix(metadata, "unet")} and {@code write_lora_layers} stores
 * {@code json.dumps(metadata, indent=2, sort_keys=True)} under {@code LORA_ADAPTER_METADATA_KEY}
 * beside {@code "format": "pt"}. Reading: {@code _fetch_state_dict} calls {@code
 * utils/state_dict_utils._load_sft_state_dict_metadata}, which {@code json.loads} that entry;
 * {@code StableDiffusionLoraLoaderMixin.load_lora_weights} passes it on to {@code
 * UNet2DConditionModel.load_lora_adapter} ({@code loaders/peft.py}), which strips the {@code "unet."}
 * prefix and hands the rest to {@code utils/peft_utils._create_lora_config} as {@code
 * LoraConfig(**metadata)}. When the entry is present, diffusers ignores {@code adapter_config.json}
 * and infers nothing from the weights; without it, alpha defaults to the rank, so a file with
 * alpha != rank loads at the wrong scale.
 */
public final class LoraAdapterMetadata {
    /** diffusers' {@code LORA_ADAPTER_METADATA_KEY}. */
    public static final String KEY = "lora_adapter_metadata";
    /** The component prefix of UNet adapters, diffusers' {@code StableDiffusionLoraLoaderMixin.unet_name}. */
    public static final String UNET = "unet";

    private static final ObjectMapper JSON = new ObjectMapper();

    private LoraAdapterMetadata() {}

    /** The value of {@link #KEY} for a UNet adapter, byte-identical to what diffusers writes. */
    public static String encode(LoraAdapterConfig config) {
        Map<String, Object> packed = new LinkedHashMap<>();
        config.peftFields().forEach((k, v) -> packed.put(UNET + "." + k, v));
        return PythonJson.dumps(packed);
    }

    /**
     * The UNet adapter's config from a safetensors header's {@code __metadata__}, empty when the
     * file has no {@link #KEY} or it describes no UNet adapter. Unprefixed keys are accepted too:
     * {@code UNet2DConditionModel.save_lora_adapter} writes them so. A value that is not such JSON
     * is an error naming {@code file}.
     */
    public static Optional<LoraAdapterConfig> decode(Map<String, String> header, Path file) {
        String raw = header.get(KEY);
        if (raw == null || raw.isEmpty()) { // diffusers: `json.loads(raw) if raw else None`
            return Optional.empty();
        }
        String source = "LoRA file " + file + ": __metadata__ " + KEY;
        JsonNode all;
        try {
            all = JSON.readTree(raw);
        } catch (JsonProcessingException e) {
            throw new Ddpo4jException(source + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (all == null || !all.isObject()) {
            throw new Ddpo4jException(source + " must be a JSON object, got "
                    + (all == null ? "nothing" : all.getNodeType()));
        }
        ObjectNode unet = JSON.createObjectNode();
        String prefix = UNET + ".";
        for (Iterator<Map.Entry<String, JsonNode>> it = all.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().startsWith(prefix)) {
                unet.set(e.getKey().substring(prefix.length()), e.getValue());
            }
        }
        if (unet.isEmpty()) {
            if (!all.has("r")) {
                return Optional.empty(); // e.g. a text-encoder-only adapter
            }
            unet = (ObjectNode) all;
        }
        return Optional.of(LoraAdapterConfig.fromPeftFields(unet, source));
    }
}
