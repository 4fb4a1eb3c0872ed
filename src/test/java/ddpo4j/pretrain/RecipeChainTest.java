package ddpo4j.pretrain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The stages behind each recipe, as the v2 model card lists them. */
class RecipeChainTest {
    @Test
    void v7BuildsOnV6WhichBuildsOnV3AtStep10000() {
        assertEquals(List.of("v3-10000", "v6", "v7"), RecipeChain.of(RecipePreset.V7).stream()
                .map(RecipeChain.Stage::name).toList());
        assertEquals(List.of("v3-10000", "v6"), RecipeChain.of(RecipePreset.V6).stream()
                .map(RecipeChain.Stage::name).toList());
        for (RecipePreset p : List.of(RecipePreset.V1, RecipePreset.V2, RecipePreset.V3, RecipePreset.V4,
                RecipePreset.V5)) {
            assertEquals(List.of(new RecipeChain.Stage(p, 0)), RecipeChain.of(p), p.name());
        }
    }
}
