package ddpo4j.spark;

import ddpo4j.rl.TrainingListener;

/**
 * For the kill-and-resume test only: with {@code DDPO4J_SPARK_HALT=RANK:EPOCH} in the executors'
 * environment, that rank's JVM halts at its first training step of that epoch (mid-epoch: the
 * epoch's samples are drawn, nothing of it is written), in the driver's first attempt only, so
 * the retry can resume the run. Unset, it does nothing.
 */
final class FaultInjection implements TrainingListener {
    static final String VARIABLE = "DDPO4J_SPARK_HALT";

    private final int epoch;

    private FaultInjection(int epoch) {
        this.epoch = epoch;
    }

    /** The listener that halts this rank, or a silent one. */
    static TrainingListener forRank(int rank, int attempt) {
        String spec = System.getenv(VARIABLE);
        if (spec == null || spec.isBlank() || attempt > 0) {
            return new TrainingListener() {};
        }
        String[] parts = spec.split(":");
        return Integer.parseInt(parts[0].strip()) == rank ? new FaultInjection(Integer.parseInt(parts[1].strip()))
                : new TrainingListener() {};
    }

    @Override
    public void trainingProgress(int epoch, int done, int total) {
        if (epoch == this.epoch) {
            System.out.println("ddpo4j: " + VARIABLE + ": halting this executor in epoch " + epoch);
            System.out.flush();
            Runtime.getRuntime().halt(137); // as a killed machine: no shutdown hooks, no task failure report
        }
    }
}
