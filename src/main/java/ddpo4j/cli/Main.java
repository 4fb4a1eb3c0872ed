package ddpo4j.cli;

import ddpo4j.Ddpo4jException;
import ddpo4j.tensor.NativeHeap;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ddpo4j} command line: parses, builds the library objects, calls them. */
@Command(name = "ddpo4j", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "DDPO: fine-tune diffusion models with reinforcement learning from black-box rewards.",
        subcommands = {SampleCommand.class, TrainCommand.class, ScoreCommand.class, EvalCommand.class,
            ReportCommand.class, BenchCommand.class, PretrainCommand.class, ReplayCommand.class})
public final class Main {
    public static void main(String[] args) {
        // Before libtorch starts its threads: two malloc arenas, freed activations reused (see NativeHeap).
        NativeHeap.configure(2);
        System.exit(run(args));
    }

    /**
     * Runs a command line and returns the exit code: bad input ({@link Ddpo4jException}, a bad option)
     * prints one clear message and returns 2; any other exception is a bug: stack trace and exit 1.
     */
    public static int run(String... args) {
        return run(new PrintWriter(System.err, true), args);
    }

    /** As {@link #run(String...)}, with error messages going to {@code err}. */
    public static int run(PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof Ddpo4jException) {
                cmd.getErr().println("error: " + e.getMessage());
                return 2;
            }
            // Anything else is a bug in ddpo4j, not bad input: show where it happened.
            e.printStackTrace(cmd.getErr());
            cmd.getErr().println("ddpo4j: internal error (" + e.getClass().getSimpleName()
                    + "); please report it with the stack trace above");
            return 1;
        });
        return cli.execute(args);
    }
}
