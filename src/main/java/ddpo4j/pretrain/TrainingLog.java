package ddpo4j.pretrain;

/** Progress callback of the pretraining loops: phase name, step, total steps, running loss. */
@FunctionalInterface
public interface TrainingLog {
    void step(String phase, int step, int total, double loss);
}
