package ddpo4j.rl;

import ai.djl.ndarray.NDManager;
import ddpo4j.Ddpo4jException;
import ddpo4j.io.LoraFiles;
import ddpo4j.nn.LoraLayers;
import ddpo4j.nn.Parameter;
import ddpo4j.rewards.RewardException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's checkpoints: resuming from the newest, writing one (then the LoRA) when due and allowed,
 * and the early stops, which keep what can be kept and say how to continue. Everything a
 * checkpoint holds (weights, AdamW moments and step, per-prompt tracker buffers, the reward
 * streak) is restored by {@link #resume}, so a resumed run computes the same bytes.
 */
final class RunCheckpoints implements RunStops {
    private final RunDir run;
    private final boolean leader; // rank 0: the one that writes
    private final String configYaml;
    private final int keep;
    private final Map<String, Parameter> trainable;
    private final LoraLayers lora; // null when the whole UNet trains
    private final AdamW adam;
    private final AdvantageEstimator advantages;
    private final NonFiniteGuard nonFinite;
    private final TrainingListener listener;

    RunCheckpoints(RunDir run, boolean leader, String configYaml, int keep, Policy policy, AdamW adam,
            AdvantageEstimator advantages, NonFiniteGuard nonFinite, TrainingListener listener) {
        this.run = run;
        this.leader = leader;
        this.configYaml = configYaml;
        this.keep = keep;
        this.trainable = policy.trainableParameters();
        this.lora = policy.lora();
        this.adam = adam;
        this.advantages = advantages;
        this.nonFinite = nonFinite;
        this.listener = listener;
    }

    /**
     * Restores the newest checkpoint; returns the first epoch still to run (0 if none). Whatever a
     * killed run wrote after that checkpoint is dropped or redone: metrics lines of later epochs,
     * temp files of interrupted writes; the LoRA is rewritten from the checkpoint, since a run
     * killed between the two writes would otherwise keep an older LoRA.
     */
    int resume(NDManager manager) {
        Path latest = Checkpoints.latest(run.checkpoints());
        if (latest == null) {
            if (leader) {
                run.truncateMetrics(-1); // killed before its first checkpoint: start over, without duplicate lines
            }
            listener.message("no checkpoint in " + run.checkpoints() + ": starting from epoch 0");
            return 0;
        }
        Checkpoints.State state = Checkpoints.load(latest, trainable, adam, manager);
        if (advantages instanceof PerPromptStatTracker tracker) {
            tracker.restore(state.trackerBuffers());
        }
        nonFinite.restoreRewardStreak(state.nonFiniteRewardStreak());
        if (!leader) {
            return state.epoch() + 1;
        }
        run.truncateMetrics(state.epoch());
        if (lora != null) {
            LoraFiles.save(run.loraDir(), lora, metadata(state.epoch()));
        }
        listener.message("resumed from " + latest + " (epoch " + state.epoch() + " done)");
        return state.epoch() + 1;
    }

    /** Rank 0, before any rank resumes: removes what a killed run left half-written. */
    void cleanUpAfterCrash() {
        if (leader) {
            run.cleanUpAfterCrash(keep);
        }
    }

    /** The epoch of the newest complete checkpoint, -1 if none. */
    int newestEpoch() {
        Path latest = Checkpoints.latest(run.checkpoints());
        return latest == null ? -1 : Checkpoints.epochOf(latest);
    }

    /**
     * The checkpoint at the end of {@code epoch}, unless skipped steps hold checkpoints back (even the
     * final one: a run ending inside a streak of skipped steps may have diverged weights).
     */
    void endOfEpoch(int epoch) {
        if (nonFinite.checkpointAllowed()) {
            save(epoch, nonFinite.rewardStreak());
        } else {
            listener.warning("epoch " + epoch + ": checkpoint held back (" + nonFinite.holdBackReason()
                    + "), so the newest checkpoint stays " + Checkpoints.latest(run.checkpoints()));
        }
    }

    /**
     * Writes checkpoint {@code epoch} (nothing for -1: nothing trained yet) and then the current
     * LoRA. Refused (an exception, nothing written) when any weight or AdamW moment is non-finite.
     */
    void save(int epoch, int rewardStreak) {
        if (epoch < 0 || !leader) {
            return;
        }
        Map<String, List<Double>> tracker = advantages instanceof PerPromptStatTracker t ? t.state() : Map.of();
        Map<String, String> meta = metadata(epoch);
        Checkpoints.save(run.checkpoints(), new Checkpoints.State(epoch, adam.stepCount(), tracker, rewardStreak),
                trainable, adam, meta, keep);
        if (lora != null) {
            LoraFiles.save(run.loraDir(), lora, meta);
        }
    }

    /**
     * guard.action=keep_best: the current LoRA, the policy entering {@code epoch} (after epoch - 1),
     * scored best so far by the guard's metric, replaces the one in the run's {@code best/lora}.
     */
    void saveBest(int epoch, String metric, Object value) {
        if (!leader) {
            return;
        }
        Map<String, String> meta = metadata(epoch - 1);
        meta.put("ddpo4j.guard.metric", metric);
        meta.put("ddpo4j.guard.value", String.valueOf(value));
        LoraFiles.save(run.bestLoraDir(), lora, meta);
    }

    private Map<String, String> metadata(int epoch) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("ddpo4j.epoch", Integer.toString(epoch));
        meta.put("ddpo4j.config", configYaml);
        return meta;
    }

    /**
     * reward_failure=stop: checkpoints the state before this epoch (unless that checkpoint exists, or
     * skipped steps hold checkpoints back) and returns the error that stops the run.
     */
    @Override
    public Ddpo4jException rewardFailed(int epoch, RewardException cause) {
        boolean exists = epoch == 0 || Checkpoints.list(run.checkpoints()).stream()
                .anyMatch(p -> p.getFileName().toString().equals(Checkpoints.name(epoch - 1)));
        if (!exists && nonFinite.checkpointAllowed()) {
            save(epoch - 1, nonFinite.rewardStreakAtEpochStart());
        }
        Path newest = Checkpoints.latest(run.checkpoints());
        return new Ddpo4jException("epoch " + epoch + ": reward failed: " + cause.getMessage() + "; "
                + (newest == null ? "nothing trained yet: start the run again"
                : "continue from " + newest + " with --resume " + run.root()), cause);
    }

    /**
     * The error that ends a run after {@code train.max_nonfinite_in_a_row} events of one kind in a
     * row. No checkpoint was written inside a streak of skipped steps, so the newest one predates it.
     */
    @Override
    public Ddpo4jException nonFiniteInARow(String what, String last) {
        Path newest = Checkpoints.latest(run.checkpoints());
        String resume = newest == null
                ? "No checkpoint was written yet: fix the cause and start the run again."
                : "The newest checkpoint, " + newest + " (finite weights"
                        + (what.startsWith("reward") ? "; non-finite rewards never reach them" : ", from before"
                        + " the skipped steps") + "), is intact: fix the cause (a lower train.learning_rate for"
                        + " diverging weights, the reward for NaN scores) and continue with --resume " + run.root()
                        + " (--set key=value to change settings).";
        return new Ddpo4jException("stopped: " + nonFinite.maxInARow() + " " + what + " in a row"
                + " (train.max_nonfinite_in_a_row=" + nonFinite.maxInARow() + "); last: " + last + ". " + resume);
    }
}
