package ddpo4j.rl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ddpo4j.Ddpo4jException;
import ddpo4j.schedulers.DDIMStep;
import ddpo4j.tensor.NativeHeap;
import ddpo4j.tensor.Scalars;
import ddpo4j.tensor.Scopes;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * An epoch's policy-gradient phase, as ddpo-pytorch's train.py runs it: for each inner epoch the
 * samples are shuffled and each sample's timesteps permuted; minibatches of {@code train.batch_size}
 * rows go through {@code timestep_fraction} of the timesteps, each loss term scaled by
 * 1 / (accumulation steps x timesteps) and back-propagated into the accumulated gradients; every
 * {@code gradient_accumulation_steps} minibatches (DDPO-SF: once per epoch) the gradients are
 * clipped and AdamW steps. Non-finite windows skip their step (NaN policy, {@link NonFiniteGuard}).
 */
final class PolicyUpdate {
    /** The order samples and their timesteps are visited in: seeded shuffles, or fixed in a test. */
    interface VisitOrder {
        /**
         * Inner epoch {@code k} of {@code epoch}: {@code samples[i]} is the i-th sample visited and
         * {@code steps[s][j]} the j-th timestep index of sample s.
         */
        Visits of(int epoch, int k, int sampleCount, int stepCount);
    }

    record Visits(int[] samples, int[][] steps) {}

    /** train.py's order: a shuffle of the samples, then a permutation of each sample's timesteps. */
    static VisitOrder seeded(long seed) {
        return (epoch, k, n, t) -> {
            SplittableRandom r = Seeds.stream(seed, epoch, Seeds.SHUFFLE, k);
            int[] order = Seeds.permutation(n, r);
            int[][] perms = new int[n][];
            for (int i = 0; i < n; i++) {
                perms[i] = Seeds.permutation(t, r);
            }
            return new Visits(order, perms);
        };
    }

    private final Policy policy;
    private final TrainSettings.Optimization o;
    private final double ratioTolerance;
    private final VisitOrder visits;
    private final NDManager root;
    private final OptimizerStep optimizer;
    private final NonFiniteGuard nonFinite;
    private final RunStops stops;
    private final TrainingListener listener;
    private final AnomalyDetector anomalies; // null unless train.detect_anomaly
    private final boolean klToBase;

    PolicyUpdate(Policy policy, TrainSettings.Optimization o, double ratioTolerance, VisitOrder visits, NDManager root,
            OptimizerStep optimizer, NonFiniteGuard nonFinite, RunStops stops, TrainingListener listener,
            AnomalyDetector anomalies, boolean klToBase) {
        this.policy = policy;
        this.o = o;
        this.ratioTolerance = ratioTolerance;
        this.visits = visits;
        this.root = root;
        this.optimizer = optimizer;
        this.nonFinite = nonFinite;
        this.stops = stops;
        this.listener = listener;
        this.anomalies = anomalies;
        this.klToBase = klToBase && policy.hasReference();
    }

    /**
     * Trains on {@code buffer} with per-sample advantages {@code adv} (already clipped); returns the
     * epoch's training metrics ({@link EpochStats#toMetrics}, and {@code kl_to_base} when asked for).
     * With {@code probeAfter} (a checkpoint follows), the updated weights are probed for a finite
     * loss first.
     */
    Map<String, Double> run(int epoch, TrajectoryBuffer buffer, double[] adv, boolean probeAfter) {
        int n = buffer.size();
        int bs = Math.min(o.batchSize(), n);
        int steps = buffer.steps();
        int trainSteps = Math.max(1, (int) (steps * o.timestepFraction()));
        boolean sf = o.algorithm() == TrainSettings.Algorithm.SF;
        int minibatches = n / bs;
        int accum = sf ? minibatches : o.accumulationSteps();
        int inner = sf ? 1 : o.innerEpochs();

        EpochStats stats = new EpochStats();
        int stepInEpoch = 0;
        int[] probeRows = null; // the epoch's first minibatch and timesteps, to probe the updated weights
        int[] probeSteps = null;
        double ratioAtStart = Double.NaN;
        int done = 0;
        int total = inner * minibatches * trainSteps;
        for (int k = 0; k < inner; k++) {
            Visits v = visits.of(epoch, k, n, steps);
            GradientCollector gc = null;
            try {
                for (int mb = 0; mb < minibatches; mb++) {
                    if (gc == null) {
                        gc = Engine.getInstance().newGradientCollector();
                    }
                    double ratioSum = 0;
                    for (int j = 0; j < trainSteps; j++) {
                        int[] rows = new int[bs];
                        int[] rowSteps = new int[bs];
                        for (int row = 0; row < bs; row++) {
                            rows[row] = v.samples()[mb * bs + row];
                            rowSteps[row] = v.steps()[rows[row]][j];
                        }
                        try (NDManager s = Scopes.step(root, policy.forwardParameters())) {
                            MinibatchLoss ml = loss(buffer.minibatch(s, rows, rowSteps, adv));
                            gc.backward(Scalars.div(ml.loss(), accum * trainSteps)); // not loss.div(int): see Scalars
                            if (anomalies != null) {
                                anomalies.check(ml.loss(), ml.terms(),
                                        new AnomalyDetector.Where(epoch, stepInEpoch, j, rows, rowSteps));
                            }
                            stats.term(ml.loss().getFloat(), ml.terms().approxKl(), ml.terms().clipFrac());
                            ratioSum += ml.terms().ratio().stopGradient().mean().getFloat();
                        }
                        if (probeRows == null) {
                            probeRows = rows;
                            probeSteps = rowSteps;
                        }
                        listener.trainingProgress(epoch, ++done, total);
                    }
                    if (k == 0 && mb == 0) {
                        ratioAtStart = ratioSum / trainSteps;
                        selfTest(epoch, ratioAtStart);
                    }
                    // the last minibatch always closes its window: after dropped samples the count may not be a
                    // multiple of accum, and gradients left over would leak into the next epoch's first step
                    if ((mb + 1) % accum == 0 || mb == minibatches - 1) {
                        gc.close();
                        gc = null;
                        optimizerStep(epoch, stepInEpoch++, stats);
                    }
                }
            } finally {
                if (gc != null) {
                    gc.close();
                }
            }
        }
        if (probeAfter && stats.stepsTaken() > 0) {
            probeUpdatedWeights(epoch, buffer, adv, probeRows, probeSteps);
        }
        Map<String, Double> metrics = stats.toMetrics(ratioAtStart);
        if (klToBase) {
            metrics.put("kl_to_base", klToBase(buffer, adv, probeRows, probeSteps));
        }
        return metrics;
    }

    /**
     * The KL of the updated policy's step distribution to the base model's, mean over the epoch's
     * first minibatch at its first visited timesteps (a cheap, noisy reading: two forward passes);
     * the same formula as the train.kl_beta penalty, with beta 1.
     */
    private double klToBase(TrajectoryBuffer buffer, double[] adv, int[] rows, int[] steps) {
        try (NDManager s = Scopes.step(root, policy.forwardParameters())) {
            TrajectoryBuffer.Minibatch mb = buffer.minibatch(s, rows, steps, adv);
            DDIMStep step = policy.stepLogProb(mb.latents(), mb.nextLatents(), mb.timesteps(), mb.promptEmbeds(),
                    mb.negativeEmbeds());
            NDArray ref = policy.referenceMean(mb.latents(), mb.nextLatents(), mb.timesteps(), mb.promptEmbeds(),
                    mb.negativeEmbeds());
            return PolicyLoss.klPenalty(step.mean(), ref, step.std(), 1.0).getFloat();
        }
    }

    /**
     * On-policy self-test: nothing has been updated since sampling, so every importance ratio of
     * the epoch's first minibatch is 1. A non-finite ratio is a non-finite loss: the NaN policy
     * skips that step, with no verdict here.
     */
    private void selfTest(int epoch, double ratioAtStart) {
        if (Double.isFinite(ratioAtStart) && !(Math.abs(ratioAtStart - 1) <= ratioTolerance)) {
            throw new Ddpo4jException(String.format("on-policy self-test failed at epoch %d: the recomputed"
                    + " log-probs differ from the sampled ones (mean ratio %.6f, tolerance %.0e). Sampling and"
                    + " training disagree: check train.cfg (must match sampling guidance) and that the model is"
                    + " deterministic.", epoch, ratioAtStart, ratioTolerance));
        }
    }

    /**
     * Before a checkpoint: the loss of the epoch's first minibatch recomputed with the updated
     * weights (one forward pass, no gradient). An update can blow the weights up to huge but finite
     * values, which only later losses show as NaN; when that update is the epoch's last, the
     * checkpoint would hold it and --resume would go back to it. A non-finite loss here holds
     * checkpoints back until a step is taken again.
     */
    private void probeUpdatedWeights(int epoch, TrajectoryBuffer buffer, double[] adv, int[] rows, int[] steps) {
        try (NDManager s = Scopes.step(root, policy.forwardParameters())) {
            float loss = loss(buffer.minibatch(s, rows, steps, adv)).loss().getFloat();
            if (!Float.isFinite(loss)) {
                nonFinite.updatedWeightsNonFinite();
                listener.warning("epoch " + epoch + ": the updated weights give a non-finite loss (" + loss
                        + ") on the epoch's first minibatch");
            }
        }
    }

    private record MinibatchLoss(NDArray loss, PolicyLoss.Terms terms) {}

    /** The DDPO loss of one minibatch (plus the KL penalty when train.kl_beta > 0), differentiable. */
    private MinibatchLoss loss(TrajectoryBuffer.Minibatch mb) {
        DDIMStep step = policy.stepLogProb(mb.latents(), mb.nextLatents(), mb.timesteps(), mb.promptEmbeds(),
                mb.negativeEmbeds());
        PolicyLoss.Terms terms = o.algorithm() == TrainSettings.Algorithm.SF
                ? PolicyLoss.scoreFunction(step.logProb(), mb.oldLogProbs(), mb.advantages())
                : PolicyLoss.importanceSampling(step.logProb(), mb.oldLogProbs(), mb.advantages(), o.clipRange());
        NDArray loss = terms.loss();
        if (o.klBeta() > 0) {
            NDArray ref = policy.referenceMean(mb.latents(), mb.nextLatents(), mb.timesteps(), mb.promptEmbeds(),
                    mb.negativeEmbeds());
            loss = loss.add(PolicyLoss.klPenalty(step.mean(), ref, step.std(), o.klBeta()));
        }
        return new MinibatchLoss(loss, terms);
    }

    /**
     * Ends an accumulation window: clips, steps AdamW and zeroes the gradients, unless the window's
     * loss or the gradient norm is non-finite; then the step is skipped (gradients zeroed, AdamW's
     * moments and step count untouched), reported, and counted toward the stop.
     */
    private void optimizerStep(int epoch, int step, EpochStats stats) {
        String what;
        if (!stats.windowFinite()) {
            optimizer.skip();
            what = "loss " + stats.firstNonFiniteLoss();
        } else {
            double norm = optimizer.apply();
            NativeHeap.trim();
            if (Double.isFinite(norm)) {
                stats.stepTaken(norm);
                nonFinite.stepTaken();
                return;
            }
            what = "grad norm " + norm;
        }
        stats.stepSkipped();
        boolean stop = nonFinite.stepSkipped();
        String where = "epoch " + epoch + ", optimizer step " + step + ": non-finite " + what;
        listener.warning(where + ": step skipped (" + nonFinite.stepStreak() + " in a row, the run stops at "
                + nonFinite.maxInARow() + ")");
        if (stop) {
            throw stops.nonFiniteInARow("skipped optimizer steps (non-finite loss or grad norm)", where);
        }
    }
}
