package ddpo4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import ddpo4j.bench.Benchmark;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ddpo4j bench}: one JSON line of throughput and memory figures. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure sampling and training throughput, epoch time and peak memory; prints one JSON object.")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "diffusers model folder")
    Path model;

    @Option(names = "--steps", defaultValue = "20")
    int steps;

    @Option(names = "--repeats", defaultValue = "3", description = "timed rounds after one warm-up (median reported)")
    int repeats;

    @Override
    public Integer call() throws Exception {
        Benchmark.Settings s = new Benchmark.Settings(model, steps, 4, 2, repeats, 5.0);
        System.out.println(new ObjectMapper().writeValueAsString(Benchmark.run(s)));
        return 0;
    }
}
