package ddpo4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ddpo4j.testing.Fixtures;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each kind of broken model folder ends {@code sample} with exit code 2 and one message naming the culprit. */
class BadInputTest {
    @TempDir
    Path tmp;

    private Path copyOfTinySd() throws IOException {
        Path src = Fixtures.tinySd();
        Path dst = tmp.resolve("model");
        try (Stream<Path> files = Files.walk(src)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path rel = src.relativize(p);
                if (rel.startsWith("reference")) {
                    continue;
                }
                Path target = dst.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                    target.toFile().setWritable(true);
                }
            }
        }
        return dst;
    }

    private String sampleFails(Path model) {
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(err, true), "sample", "--model", model.toString(), "--prompt", "a cat",
                "--steps", "2", "--out", tmp.resolve("out").toString());
        assertEquals(2, code, "exit code; stderr: " + err);
        String msg = err.toString().strip();
        assertTrue(msg.startsWith("error: "), msg);
        return msg;
    }

    private static void editJson(Path file, Consumer<ObjectNode> edit) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode node = (ObjectNode) mapper.readTree(file.toFile());
        edit.accept(node);
        mapper.writeValue(file.toFile(), node);
    }

    @Test
    void missingConfig() throws IOException {
        Path model = copyOfTinySd();
        Files.delete(model.resolve("unet/config.json"));
        String msg = sampleFails(model);
        assertTrue(msg.contains("missing config file") && msg.contains("unet/config.json"), msg);
    }

    @Test
    void truncatedWeights() throws IOException {
        Path model = copyOfTinySd();
        Path w = model.resolve("unet/diffusion_pytorch_model.safetensors");
        try (RandomAccessFile f = new RandomAccessFile(w.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        String msg = sampleFails(model);
        assertTrue(msg.contains("truncated") && msg.contains("diffusion_pytorch_model.safetensors"), msg);
    }

    @Test
    void headerClaimingATerabyte() throws IOException {
        Path model = copyOfTinySd();
        Path w = model.resolve("vae/diffusion_pytorch_model.safetensors");
        try (RandomAccessFile f = new RandomAccessFile(w.toFile(), "rw")) {
            f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(1_000_000_000_000L).array());
        }
        String msg = sampleFails(model);
        assertTrue(msg.contains("vae") && msg.contains("header"), msg);
    }

    @Test
    void shapeMismatchNamesTheKeys() throws IOException {
        Path model = copyOfTinySd();
        editJson(model.resolve("unet/config.json"), n -> n.put("cross_attention_dim", 48));
        String msg = sampleFails(model);
        assertTrue(msg.contains("mis-shaped") && msg.contains("attn2.to_k.weight"), msg);
        assertTrue(msg.contains("(64, 32)") && msg.contains("(64, 48)"), msg);
    }

    @Test
    void unknownBlockTypeIsNamed() throws IOException {
        Path model = copyOfTinySd();
        editJson(model.resolve("unet/config.json"),
                n -> n.putArray("down_block_types").add("DownBlock2D").add("FancyDownBlock2D"));
        String msg = sampleFails(model);
        assertTrue(msg.contains("unknown block type \"FancyDownBlock2D\""), msg);
    }

    @Test
    void unknownArchitectureKeyIsRefused() throws IOException {
        Path model = copyOfTinySd();
        editJson(model.resolve("vae/config.json"), n -> n.put("use_magic", true));
        String msg = sampleFails(model);
        assertTrue(msg.contains("use_magic") && msg.contains("vae/config.json"), msg);
    }
}
