package ddpo4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import ddpo4j.bench.Benchmark;
import ddpo4j.bench.Soak;
import java.util.Map;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ddpo4j bench}: one JSON line of throughput and memory figures. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure sampling and training throughput, epoch time and peak memory; prints one JSON object.")
public final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, description = "diffusers model folder")
    Path model;

    @Option(names = "--steps", defaultValue = "20")
    int steps;

    @Option(names = "--repeats", defaultValue = "3", description = "timed rounds after one warm-up (median reported)")
    int repeats;

    @Option(names = "--soak-epochs", defaultValue = "0", description = "instead: run this many reference epochs,"
            + " printing RSS per epoch (one JSON line each) and then the growth after the warm-up")
    int soakEpochs;

    @Option(names = "--profile", description = "instead: profile one reference epoch with libtorch's profiler,"
            + " write its Chrome trace to this file and print the time shares (convolution, attention, …)")
    Path profile;

    @Option(names = "--profile-shapes", description = "with --profile: record every op's input shapes and print"
            + " the top ops by shape (which layer's softmax or convolution the time is in)")
    boolean profileShapes;

    @Override
    public Integer call() throws Exception {
        Benchmark.Settings s = new Benchmark.Settings(model, steps, 4, 2, repeats, 5.0);
        if (profileShapes && profile == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--profile-shapes needs --profile FILE");
        }
        if (profile != null) {
            System.out.println(new ObjectMapper().writeValueAsString(Benchmark.profileEpoch(s, profile, profileShapes)));
            return 0;
        }
        if (soakEpochs > 0) {
            ObjectMapper json = new ObjectMapper();
            Map<String, Object> summary = Soak.run(s, soakEpochs, e -> {
                try {
                    System.out.println(json.writeValueAsString(e));
                } catch (com.fasterxml.jackson.core.JsonProcessingException x) {
                    throw new IllegalStateException(x);
                }
            });
            System.out.println(json.writeValueAsString(summary));
            return 0;
        }
        System.out.println(new ObjectMapper().writeValueAsString(Benchmark.run(s)));
        return 0;
    }
}
