package ddpo4j.pretrain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ddpo4j.Ddpo4jException;
import ddpo4j.io.SafetensorsWriter;
import ddpo4j.testing.Fixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failed export names what is wrong and leaves no model folder, whole or partial. */
class SnapshotExportTest {
    @TempDir
    Path tmp;

    @Test
    void aMissingCheckpointIsNamedAndNothingIsWritten() {
        Path dest = tmp.resolve("snap");
        try (NDManager m = NDManager.newBaseManager()) {
            Ddpo4jException e = assertThrows(Ddpo4jException.class,
                    () -> SnapshotExport.export(Fixtures.tinySd(), tmp.resolve("denoiser-step-002000.safetensors"), dest, m));
            assertTrue(e.getMessage().contains("denoiser-step-002000.safetensors does not exist"), e.getMessage());
        }
        assertFalse(Files.exists(dest));
    }

    @Test
    void aCheckpointOfAnotherKindIsNamedAndLeavesNoPartialFolder() {
        Path ckpt = tmp.resolve("other.safetensors");
        SafetensorsWriter.builder().put("something.else", new float[] {1, 2}, 2).write(ckpt, Map.of());
        Path dest = tmp.resolve("snap");
        try (NDManager m = NDManager.newBaseManager()) {
            Ddpo4jException e = assertThrows(Ddpo4jException.class,
                    () -> SnapshotExport.export(Fixtures.tinySd(), ckpt, dest, m));
            assertTrue(e.getMessage().contains("lacks param.0000: not a denoiser checkpoint"), e.getMessage());
        }
        assertFalse(Files.exists(dest), "no model folder");
        assertFalse(Files.exists(tmp.resolve("snap.partial")), "no scratch folder left");
    }
}
