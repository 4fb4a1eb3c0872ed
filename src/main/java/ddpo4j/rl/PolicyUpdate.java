package ddpo4j.rl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import ddpo4j.Ddpo4jException;
import ddpo4j.nn.Parameter;
import ddpo4j.schedulers.DDIMStep;
import ddpo4j.tensor.HostArrays;
import ddpo4j.tensor.Scalars;
import ddpo4j.tensor.Scopes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * An epoch's policy-gradient phase, as ddpo-pytorch's train.py runs it: for each inner epoch the
 * samples are shuffled and each sample's timesteps permuted; minibatches of {@code train.batch_size}
 * rows go through {@code timestep_fraction} of the timesteps, each loss term scaled by
 * 1 / (accumulation steps x timesteps) and back-propagated into the accumulated gradients; every
 * {@code gradient_accumulation_steps} minibatches (DDPO-SF: once per epoch) the gradients are
 * clipped and AdamW steps. Non-finite windows skip their step (NaN policy, {@link NonFiniteGuard}).
 *
 * <p>With N ranks ({@link Collective}), each window's minibatches are dealt round-robin; each rank
 * back-propagates its own, the parts are exchanged, and every rank sums them in minibatch order
 * and takes the same AdamW step: the arithmetic of one process, so the weights are identical.
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

    /**
     * Each sample's timestep order with the steps at or after {@code eligible} dropped, the rest in
     * their visiting order (unchanged when every step is eligible: ddpo-pytorch's order).
     */
    static Visits eligibleOnly(Visits v, int eligible) {
        if (v.steps().length == 0 || eligible >= v.steps()[0].length) {
            return v;
        }
        int[][] steps = new int[v.steps().length][];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = Arrays.stream(v.steps()[i]).filter(j -> j < eligible).toArray();
        }
        return new Visits(v.samples(), steps);
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
    private static final NDIndex ALL = new NDIndex("...");

    private final AnomalyDetector anomalies; // null unless train.detect_anomaly
    private final boolean klToBase;
    private final Collective ranks;
    /** With several ranks: the weights' checksum after the last optimizer step, not yet compared. */
    private WeightChecksum unchecked;
    private final List<NDArray> weights;
    /** Per step index, {@code train.timestep_weighting: equalize}'s weights; null: unweighted. */
    private double[] stepWeights;

    PolicyUpdate(Policy policy, TrainSettings.Optimization o, double ratioTolerance, VisitOrder visits, NDManager root,
            OptimizerStep optimizer, NonFiniteGuard nonFinite, RunStops stops, TrainingListener listener,
            AnomalyDetector anomalies, boolean klToBase, Collective ranks) {
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
        this.ranks = ranks;
        this.weights = policy.trainableParameters().values().stream().map(Parameter::value).toList();
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
        // The first steps - skipLastSteps denoising steps are eligible; a fraction of them is trained.
        int eligible = steps - o.skipLastSteps();
        if (eligible < 1) {
            throw new Ddpo4jException("train.skip_last_steps " + o.skipLastSteps() + " leaves no step of " + steps);
        }
        int trainSteps = Math.max(1, (int) (eligible * o.timestepFraction()));
        stepWeights = o.equalizeTimesteps() ? TimestepWeights.equalize(policy, buffer.timesteps(), eligible) : null;
        boolean sf = o.algorithm() == TrainSettings.Algorithm.SF;
        int minibatches = n / bs;
        int accum = sf ? minibatches : o.accumulationSteps();
        int inner = sf ? 1 : o.innerEpochs();

        EpochStats stats = new EpochStats();
        GradientAgreement agreement = new GradientAgreement();
        int stepInEpoch = 0;
        double ratioAtStart = Double.NaN;
        Visits first = null;
        Progress progress = new Progress(epoch, inner * minibatches * trainSteps);
        for (int k = 0; k < inner; k++) {
            Visits v = eligibleOnly(visits.of(epoch, k, n, steps), eligible);
            first = first == null ? v : first;
            // windows of accum minibatches, one optimizer step each; the last window may be short: after
            // dropped samples the count may not be a multiple of accum, and no gradient may leak past it
            for (int start = 0; start < minibatches; start += accum) {
                int end = Math.min(minibatches, start + accum);
                Window w = new Window(epoch, stepInEpoch, v, bs, trainSteps, accum * trainSteps, end - start > 1
                        || ranks.size() > 1);
                List<MinibatchPart> mine = new ArrayList<>();
                for (int mb = start + ranks.rank(); mb < end; mb += ranks.size()) {
                    mine.add(minibatch(w, mb, buffer, adv, progress));
                }
                List<MinibatchPart> all = exchange(epoch, mine);
                for (MinibatchPart part : all) {
                    for (float[] t : part.terms()) {
                        stats.term(t[0], t[1], t[2]);
                    }
                }
                if (k == 0 && start == 0) {
                    ratioAtStart = all.get(0).ratioMean();
                    selfTest(epoch, ratioAtStart);
                }
                if (w.partsSeparate()) {
                    setGradients(all);
                    agreement.add(all.stream().map(MinibatchPart::grads).toList());
                }
                optimizerStep(epoch, stepInEpoch, stats);
                unchecked = ranks.size() > 1 ? new WeightChecksum(stepInEpoch, WeightChecksum.of(weights)) : null;
                stepInEpoch++;
            }
        }
        if (unchecked != null) { // the last step's weights: no window follows to carry the check
            unchecked.verify(epoch, ranks.rank(), ranks.allGather(unchecked.bytes()));
            unchecked = null;
        }
        // the epoch's first minibatch at its first visited timesteps: probed after the updates
        int[] probeRows = Arrays.copyOfRange(first.samples(), 0, bs);
        int[] probeSteps = new int[bs];
        for (int row = 0; row < bs; row++) {
            probeSteps[row] = first.steps()[probeRows[row]][0];
        }
        if (probeAfter && stats.stepsTaken() > 0) {
            probeUpdatedWeights(epoch, buffer, adv, probeRows, probeSteps);
        }
        Map<String, Double> metrics = stats.toMetrics(ratioAtStart);
        if (!Double.isNaN(agreement.mean())) {
            metrics.put("grad_agreement", agreement.mean());
        }
        if (klToBase) {
            metrics.put("kl_to_base", klToBase(buffer, adv, probeRows, probeSteps));
        }
        return metrics;
    }

    /** One accumulation window's settings; {@code partsSeparate}: each minibatch's gradient is taken apart. */
    private record Window(int epoch, int step, Visits visits, int bs, int trainSteps, int scale,
            boolean partsSeparate) {}

    /** Counts trained terms for the progress bar (this rank's only: other ranks report their own). */
    private final class Progress {
        private final int epoch;
        private final int total;
        private int done;

        Progress(int epoch, int total) {
            this.epoch = epoch;
            this.total = total;
        }

        void term() {
            listener.trainingProgress(epoch, ++done, total);
        }
    }

    /**
     * Minibatch {@code mb}: the loss of its rows at each of its visited timesteps, scaled by
     * 1 / (accumulation x timesteps) and back-propagated. With separate parts the minibatch's
     * gradient is then read out and zeroed, so that windows sum whole minibatches in minibatch
     * order: the same float additions whether one process or N ranks computed them.
     */
    private MinibatchPart minibatch(Window w, int mb, TrajectoryBuffer buffer, double[] adv, Progress progress) {
        float[][] terms = new float[w.trainSteps()][];
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            for (int j = 0; j < w.trainSteps(); j++) {
                int[] rows = new int[w.bs()];
                int[] rowSteps = new int[w.bs()];
                for (int row = 0; row < w.bs(); row++) {
                    rows[row] = w.visits().samples()[mb * w.bs() + row];
                    rowSteps[row] = w.visits().steps()[rows[row]][j];
                }
                try (NDManager s = Scopes.step(root, policy.forwardParameters())) {
                    MinibatchLoss ml = loss(buffer.minibatch(s, rows, rowSteps, adv, stepWeights));
                    gc.backward(Scalars.div(ml.loss(), w.scale())); // not loss.div(int): see Scalars
                    if (anomalies != null) {
                        anomalies.check(ml.loss(), ml.terms(),
                                new AnomalyDetector.Where(w.epoch(), w.step(), j, rows, rowSteps));
                    }
                    terms[j] = new float[] {ml.loss().getFloat(), ml.terms().approxKl(), ml.terms().clipFrac(),
                            ml.terms().ratio().stopGradient().mean().getFloat()};
                }
                progress.term();
            }
        }
        return new MinibatchPart(mb, terms, w.partsSeparate() ? takeGradients() : null);
    }

    /** This minibatch's gradients, per trainable weight in order; zeroed for the next. */
    private float[][] takeGradients() {
        NDArray[] ws = weights.toArray(NDArray[]::new);
        try (NDManager s = Scopes.step(root, ws)) {
            float[][] out = new float[ws.length][];
            for (int i = 0; i < ws.length; i++) {
                NDArray g = ws[i].getGradient();
                out[i] = g.toFloatArray();
                g.set(ALL, 0);
            }
            return out;
        }
    }

    /**
     * Every rank's parts of a window, in minibatch order. With several ranks each message also
     * carries the rank's checksum of the weights after the previous optimizer step, checked here:
     * one all-gather per window instead of two (Spark's barrier costs about a second per all-gather).
     */
    private List<MinibatchPart> exchange(int epoch, List<MinibatchPart> mine) {
        if (ranks.size() == 1) {
            return mine;
        }
        WeightChecksum previous = unchecked;
        unchecked = null;
        List<byte[]> all = ranks.allGather(WeightChecksum.prefix(previous, MinibatchPart.encode(mine)));
        List<byte[]> checksums = new ArrayList<>();
        List<MinibatchPart> parts = new ArrayList<>();
        for (byte[] message : all) {
            checksums.add(WeightChecksum.head(message));
            parts.addAll(MinibatchPart.decode(WeightChecksum.tail(message)));
        }
        if (previous != null) {
            previous.verify(epoch, ranks.rank(), checksums);
        }
        parts.sort(Comparator.comparingInt(MinibatchPart::minibatch));
        return parts;
    }

    /** The window's gradient: its minibatches' gradients summed in minibatch order, written back. */
    private void setGradients(List<MinibatchPart> parts) {
        NDArray[] ws = weights.toArray(NDArray[]::new);
        try (NDManager s = Scopes.step(root, ws)) {
            for (int i = 0; i < ws.length; i++) {
                float[] sum = parts.get(0).grads()[i].clone();
                for (int p = 1; p < parts.size(); p++) {
                    float[] g = parts.get(p).grads()[i];
                    for (int e = 0; e < sum.length; e++) {
                        sum[e] += g[e];
                    }
                }
                NDArray g = ws[i].getGradient();
                // an indexed copy into the gradient's own storage: set(Buffer) would make it alias Java memory
                g.set(ALL, HostArrays.floats(s, sum, g.getShape()));
            }
        }
    }

    /**
     * The KL of the updated policy's step distribution to the base model's, mean over the epoch's
     * first minibatch at its first visited timesteps (a cheap, noisy reading: two forward passes);
     * the same formula as the train.kl_beta penalty, with beta 1.
     */
    private double klToBase(TrajectoryBuffer buffer, double[] adv, int[] rows, int[] steps) {
        try (NDManager s = Scopes.step(root, policy.forwardParameters())) {
            TrajectoryBuffer.Minibatch mb = buffer.minibatch(s, rows, steps, adv, stepWeights);
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
            float loss = loss(buffer.minibatch(s, rows, steps, adv, stepWeights)).loss().getFloat();
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
