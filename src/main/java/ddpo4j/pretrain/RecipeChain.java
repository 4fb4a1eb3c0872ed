package ddpo4j.pretrain;

import java.util.List;

/**
 * The runs a recipe builds on: v6 fine-tunes v3's UNet as it was at step 10,000 (mid cool-down),
 * v7 continues v6. {@code pretrain --chain} runs them in order, each stage's model the next one's
 * {@code --unet-init}, so one resumable command makes the bundled model from nothing.
 */
public final class RecipeChain {
    /** One run: a recipe, its UNet phase ended after {@code unetStopAt} steps of its schedule (0: all). */
    public record Stage(RecipePreset preset, int unetStopAt) {
        /** The stage's folder name: the recipe, and the step it stops at. */
        public String name() {
            return unetStopAt > 0 ? preset.name() + "-" + unetStopAt : preset.name();
        }
    }

    private static final Stage V3_AT_10000 = new Stage(RecipePreset.V3, 10_000);

    private RecipeChain() {}

    /** The stages that make {@code recipe}'s model, the recipe itself last. */
    public static List<Stage> of(RecipePreset recipe) {
        if (recipe == RecipePreset.V6) {
            return List.of(V3_AT_10000, new Stage(RecipePreset.V6, 0));
        }
        if (recipe == RecipePreset.V7) {
            return List.of(V3_AT_10000, new Stage(RecipePreset.V6, 0), new Stage(RecipePreset.V7, 0));
        }
        return List.of(new Stage(recipe, 0)); // v1-v5 start from random weights
    }
}
