package ddpo4j.rl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpo4j.Ddpo4jException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Config resolution: ddpo-pytorch defaults, nested YAML, overrides, typed errors, unknown keys. */
class TrainConfigTest {
    @TempDir
    Path tmp;

    @Test
    void defaultsAreTheReferenceOnes() {
        TrainConfig c = TrainConfig.resolve(null, List.of());
        assertEquals(3e-4, c.getDouble("train.learning_rate"));
        assertEquals(0.9, c.getDouble("train.adam_beta1"));
        assertEquals(0.999, c.getDouble("train.adam_beta2"));
        assertEquals(1e-4, c.getDouble("train.adam_weight_decay"));
        assertEquals(1e-8, c.getDouble("train.adam_epsilon"));
        assertEquals(1.0, c.getDouble("train.max_grad_norm"));
        assertEquals(1e-4, c.getDouble("train.clip_range"));
        assertEquals(5.0, c.getDouble("train.adv_clip_max"));
        assertEquals(50, c.getInt("sample.num_steps"));
        assertEquals(1.0, c.getDouble("sample.eta"));
        assertEquals(5.0, c.getDouble("sample.guidance_scale"));
        assertEquals(16, c.getInt("per_prompt_stat_tracking.buffer_size"));
        assertEquals(16, c.getInt("per_prompt_stat_tracking.min_count"));
    }

    @Test
    void nestedYamlThenOverridesAndRoundTrip() throws Exception {
        Path f = tmp.resolve("c.yaml");
        Files.writeString(f, "train:\n  learning_rate: 1.0e-3\n  cfg: false\nsample.num_steps: 20\n"
                + "prompt_fn: fixed\nprompt_fn_kwargs:\n  prompt: a dog\n");
        TrainConfig c = TrainConfig.resolve(f, List.of("train.learning_rate=2e-3", "seed=7"));
        assertEquals(2e-3, c.getDouble("train.learning_rate"));
        assertEquals(false, c.getBool("train.cfg"));
        assertEquals(20, c.getInt("sample.num_steps"));
        assertEquals("a dog", c.promptFnKwargs().get("prompt"));
        Path saved = tmp.resolve("saved.yaml");
        Files.writeString(saved, c.toYaml());
        assertEquals(c.asMap(), TrainConfig.resolve(saved, List.of()).asMap());
    }

    @Test
    void errorsNameTheKey() {
        Ddpo4jException unknown = assertThrows(Ddpo4jException.class,
                () -> TrainConfig.resolve(null, List.of("train.lerning_rate=1")));
        assertTrue(unknown.getMessage().contains("train.lerning_rate"), unknown.getMessage());
        Ddpo4jException type = assertThrows(Ddpo4jException.class,
                () -> TrainConfig.resolve(null, List.of("sample.num_steps=many")));
        assertTrue(type.getMessage().contains("sample.num_steps") && type.getMessage().contains("integer"));
        Ddpo4jException invalid = assertThrows(Ddpo4jException.class, () -> TrainConfig.resolve(null,
                List.of("pretrained.model=x", "sample.batch_size=3", "sample.num_batches_per_epoch=1",
                        "train.batch_size=2")).validate());
        assertTrue(invalid.getMessage().contains("multiple of train.batch_size"), invalid.getMessage());
        Ddpo4jException group = assertThrows(Ddpo4jException.class, () -> TrainConfig.resolve(null,
                List.of("pretrained.model=x", "sample.batch_size=4", "sample.num_batches_per_epoch=1", "group_size=3"))
                .validate());
        assertTrue(group.getMessage().contains("group_size"), group.getMessage());
        Ddpo4jException skip = assertThrows(Ddpo4jException.class, () -> TrainConfig.resolve(null,
                List.of("pretrained.model=x", "sample.num_steps=10", "train.skip_last_steps=10")).validate());
        assertTrue(skip.getMessage().contains("train.skip_last_steps must be in [0, sample.num_steps) (10), got 10"),
                skip.getMessage());
        Ddpo4jException weighting = assertThrows(Ddpo4jException.class, () -> TrainConfig.resolve(null,
                List.of("pretrained.model=x", "train.timestep_weighting=equal")).validate());
        assertTrue(weighting.getMessage().contains("train.timestep_weighting must be none or equalize, got \"equal\""),
                weighting.getMessage());
    }

    @Test
    void evalSetsTakeTheirOwnImagesPerPrompt() {
        TrainConfig c = TrainConfig.resolve(null, List.of("pretrained.model=x", "eval.samples_per_prompt=2",
                "eval.sets=counting-heldout=16, counting-train"));
        c.validate();
        assertEquals(List.of(new TrainConfig.EvalSetSpec("counting-heldout", 16),
                new TrainConfig.EvalSetSpec("counting-train", 2)), c.evalSets());
        assertEquals(List.of(), TrainConfig.resolve(null, List.of()).evalSets());
        Ddpo4jException bad = assertThrows(Ddpo4jException.class, () -> TrainConfig.resolve(null,
                List.of("pretrained.model=x", "eval.sets=counting-heldout=many")).validate());
        assertTrue(bad.getMessage().contains("\"counting-heldout=many\": images per prompt after '=' must be a whole"
                + " number, got \"many\""), bad.getMessage());
        Ddpo4jException zero = assertThrows(Ddpo4jException.class, () -> TrainConfig.resolve(null,
                List.of("pretrained.model=x", "eval.sets=counting-heldout=0")).validate());
        assertTrue(zero.getMessage().contains(">= 1 images per prompt"), zero.getMessage());
    }

    @Test
    void aSharedStartIsTheGroupsFirstSample() {
        // 2 batches of 4 per epoch, groups of 4: epoch 1 holds samples 8..15, groups 8..11 and 12..15
        TrainSettings.Sampling shared = new TrainSettings.Sampling(4, 2, 4, true, 0);
        assertEquals(8, shared.initialIndex(8));
        assertEquals(8, shared.initialIndex(11));
        assertEquals(12, shared.initialIndex(13));
        TrainSettings.Sampling own = new TrainSettings.Sampling(4, 2, 4, false, 0);
        assertEquals(13, own.initialIndex(13));
        // groups of 8 spanning both batches
        assertEquals(8, new TrainSettings.Sampling(4, 2, 8, true, 0).initialIndex(15));
    }
}
