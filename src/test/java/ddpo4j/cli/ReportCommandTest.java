package ddpo4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ddpo4j.report.SyntheticRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ddpo4j report --run-dir DIR} through {@link Main#run}. */
class ReportCommandTest {
    @TempDir
    Path tmp;

    @Test
    void writesTheReportAndPrintsItsPath() throws Exception {
        Path run = SyntheticRun.create(tmp.resolve("run"), 3, 1);
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int code;
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            code = Main.run(new PrintWriter(new StringWriter(), true), "report", "--run-dir", run.toString());
        } finally {
            System.setOut(saved);
        }
        assertEquals(0, code);
        Path report = run.resolve("report.html");
        assertEquals(report.toString(), buf.toString(StandardCharsets.UTF_8).trim());
        assertTrue(Files.readString(report).contains("id=\"chart-reward\""));
    }

    @Test
    void aMissingRunDirIsOneClearError() {
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(err, true), "report", "--run-dir", tmp.resolve("nope").toString());
        assertEquals(2, code);
        assertTrue(err.toString().contains("error: run dir " + tmp.resolve("nope") + " does not exist"), err.toString());
    }

    @Test
    void runDirIsRequired() {
        StringWriter err = new StringWriter();
        assertEquals(2, Main.run(new PrintWriter(err, true), "report"));
        assertTrue(err.toString().contains("--run-dir"), err.toString());
    }
}
