package ddpo4j.pretrain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class DenoiserInitTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void configsMatchUpToATenthDigitInTheirNumbersOnly() throws Exception {
        // v6's VAE config (encoded at 2 threads) and the same VAE's at 1 thread: equal
        String a = "{\"scaling_factor\": 0.2615479218136531, \"latent_channels\": 4, \"act_fn\": \"silu\"}";
        String b = "{\"act_fn\": \"silu\", \"latent_channels\": 4, \"scaling_factor\": 0.261547921865478}";
        assertTrue(DenoiserInit.sameJson(JSON.readTree(a), JSON.readTree(b)));
        // another VAE: its factor differs in the fourth digit
        String c = "{\"scaling_factor\": 0.2616, \"latent_channels\": 4, \"act_fn\": \"silu\"}";
        assertFalse(DenoiserInit.sameJson(JSON.readTree(a), JSON.readTree(c)));
        assertFalse(DenoiserInit.sameJson(JSON.readTree(a),
                JSON.readTree(a.replace("\"latent_channels\": 4", "\"latent_channels\": 8"))));
        assertFalse(DenoiserInit.sameJson(JSON.readTree(a), JSON.readTree(a.replace("silu", "gelu"))));
    }
}
