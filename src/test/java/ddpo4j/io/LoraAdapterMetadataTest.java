package ddpo4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ddpo4j.Ddpo4jException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** diffusers' {@code lora_adapter_metadata} header entry: the exact text diffusers writes, and what its loader parses. */
class LoraAdapterMetadataTest {
    private static final Path FILE = Path.of("some/pytorch_lora_weights.safetensors");
    private static final LoraAdapterConfig R4_A8 = new LoraAdapterConfig(4, 8, LoraAdapterConfig.ATTENTION_TARGETS);

    // Printed by Python 3.11: json.dumps({f"unet.{k}": v for k, v in cfg.items()}, indent=2, sort_keys=True),
    // i.e. diffusers' write_lora_layers after _pack_dict_with_prefix(metadata, "unet").
    private static final String PYTHON_DUMPS = """
            {
              "unet.bias": "none",
              "unet.init_lora_weights": "gaussian",
              "unet.lora_alpha": 8,
              "unet.lora_dropout": 0.0,
              "unet.peft_type": "LORA",
              "unet.r": 4,
              "unet.target_modules": [
                "to_q",
                "to_k",
                "to_v",
                "to_out.0"
              ],
              "unet.task_type": null
            }""";

    /** Fields of PEFT's LoraConfig (peft/tuners/lora/config.py and PeftConfig) that we write: LoraConfig(**m) accepts them. */
    private static final Set<String> LORA_CONFIG_FIELDS = Set.of("peft_type", "task_type", "r", "lora_alpha",
            "lora_dropout", "bias", "init_lora_weights", "target_modules");

    @Test
    void encodedTextIsWhatPythonJsonDumpsWrites() {
        assertEquals(PYTHON_DUMPS, LoraAdapterMetadata.encode(R4_A8));
    }

    @Test
    void headerParsesAsDiffusersLoadsIt() throws Exception {
        Map<String, String> header = Map.of("format", "pt", "lora_adapter_metadata", LoraAdapterMetadata.encode(R4_A8));
        // _load_sft_state_dict_metadata: json.loads(metadata["lora_adapter_metadata"])
        JsonNode all = new ObjectMapper().readTree(header.get("lora_adapter_metadata"));
        assertTrue(all.isObject());
        // load_lora_adapter(prefix="unet"): keep keys starting "unet.", strip the prefix; LoraConfig(**rest)
        Map<String, JsonNode> kwargs = new LinkedHashMap<>();
        all.fields().forEachRemaining(e -> {
            assertTrue(e.getKey().startsWith("unet."), e.getKey());
            kwargs.put(e.getKey().substring("unet.".length()), e.getValue());
        });
        assertTrue(LORA_CONFIG_FIELDS.containsAll(kwargs.keySet()), kwargs.keySet().toString());
        assertEquals(4, kwargs.get("r").intValue());
        assertTrue(kwargs.get("r").isInt());
        assertEquals(8, kwargs.get("lora_alpha").intValue());
        assertEquals("[\"to_q\",\"to_k\",\"to_v\",\"to_out.0\"]", kwargs.get("target_modules").toString());
        assertEquals(Optional.of(R4_A8), LoraAdapterMetadata.decode(header, FILE));
        assertEquals(2.0, R4_A8.scale());
    }

    @Test
    void fractionalAlphaAndUnprefixedKeysAreRead() {
        // UNet2DConditionModel.save_lora_adapter writes the LoraConfig without a prefix
        String unprefixed = "{\"r\": 8, \"lora_alpha\": 2.5, \"target_modules\": \"to_q\", \"use_rslora\": false,"
                + " \"rank_pattern\": {}, \"alpha_pattern\": {}}";
        LoraAdapterConfig c = LoraAdapterMetadata.decode(Map.of("lora_adapter_metadata", unprefixed), FILE).orElseThrow();
        assertEquals(new LoraAdapterConfig(8, 2.5, List.of("to_q")), c);
        assertEquals(Optional.empty(), LoraAdapterMetadata.decode(Map.of("format", "pt"), FILE));
        assertEquals(Optional.empty(), LoraAdapterMetadata.decode(
                Map.of("lora_adapter_metadata", "{\"text_encoder.r\": 4, \"text_encoder.lora_alpha\": 4}"), FILE));
    }

    @Test
    void malformedMetadataIsOneErrorNamingFileAndKey() {
        assertError("{not json", "is not valid JSON");
        assertError("[4, 8]", "must be a JSON object");
        assertError("{\"unet.lora_alpha\": 8}", "missing r");
        assertError("{\"unet.r\": 4}", "missing lora_alpha");
        assertError("{\"unet.r\": 4.5, \"unet.lora_alpha\": 8}", "r must be a positive integer");
        assertError("{\"unet.r\": 4, \"unet.lora_alpha\": \"8\"}", "lora_alpha must be a positive number");
        assertError("{\"unet.r\": 4, \"unet.lora_alpha\": 8, \"unet.target_modules\": [1]}", "target_modules");
        assertError("{\"unet.r\": 4, \"unet.lora_alpha\": 8, \"unet.use_rslora\": true}", "rsLoRA");
        assertError("{\"unet.r\": 4, \"unet.lora_alpha\": 8, \"unet.alpha_pattern\": {\"to_q\": 2}}", "alpha_pattern");
    }

    @Test
    void pythonLayoutOfEmptyContainersAndNonAscii() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("d", 0.5);
        m.put("c", "\u00e9");
        m.put("b", Map.of());
        m.put("a", List.of());
        // Python: json.dumps({'a': [], 'b': {}, 'c': 'é', 'd': 0.5}, indent=2, sort_keys=True)
        assertEquals("{\n  \"a\": [],\n  \"b\": {},\n  \"c\": \"\\u00e9\",\n  \"d\": 0.5\n}", PythonJson.dumps(m));
    }

    private static void assertError(String raw, String expected) {
        Ddpo4jException e = assertThrows(Ddpo4jException.class,
                () -> LoraAdapterMetadata.decode(Map.of("lora_adapter_metadata", raw), FILE));
        assertTrue(e.getMessage().contains(FILE.toString()) && e.getMessage().contains("lora_adapter_metadata")
                && e.getMessage().contains(expected), e.getMessage());
    }
}
