package ddpo4j.rewards;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ddpo4j.io.ImageFiles;
import ddpo4j.io.PixelQuantizer;
import ddpo4j.io.Rgb8Image;
import ddpo4j.io.SafetensorsReader;
import ddpo4j.rewards.aesthetic.ClipImageProcessor;
import ddpo4j.rewards.jpeg.JpegReward;
import ddpo4j.rewards.remote.RewardProtocol;
import ddpo4j.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sample saved as PNG is the image every reward saw: the same 8-bit pixels (ties rounded half to
 * even everywhere), the same PNG bytes as a remote reward's payload, and the same score when the
 * saved file is scored again.
 */
class SavedSampleIsRewardInputTest {
    private static final int SIZE = 16;

    @TempDir
    Path dir;

    /** Float32 ties {@code (k + 0.5) / 255} for every k, plus noise and values outside [0, 1]. */
    static float[] imageWithTies() {
        float[] chw = new float[3 * SIZE * SIZE];
        Random r = new Random(7);
        for (int i = 0; i < chw.length; i++) {
            chw[i] = i < 255 ? (i + 0.5f) / 255f : r.nextFloat() * 1.2f - 0.1f;
        }
        return chw;
    }

    @Test
    void tiesRoundToEvenInTheSavedPngAndInEveryRewardInput() throws IOException {
        float[] chw = imageWithTies();
        RewardBatch batch = new RewardBatch(List.of(chw), SIZE, SIZE, List.of("p"), List.of(Map.of()));
        Path file = dir.resolve("000000.png");
        ImageFiles.writePng(chw, 0, SIZE, SIZE, file);
        Rgb8Image saved = Rgb8Image.of(ImageIO.read(file.toFile()));

        // the ties: channel 0 holds k + 0.5 at pixel k for k < 255 (255 pixels of 256)
        for (int k = 0; k < 255 && k < SIZE * SIZE; k++) {
            assertEquals(k % 2 == 0 ? k : k + 1, saved.get(k / SIZE, k % SIZE, 0), "tie " + k + ".5 in the saved PNG");
        }
        assertEquals(saved, Pixels.rgb8(batch, 0), "the JPEG reward's input");

        JsonNode request = new ObjectMapper().readTree(RewardProtocol.request(batch));
        byte[] payload = Base64.getDecoder().decode(request.get("images").get(0).asText());
        assertArrayEquals(Files.readAllBytes(file), payload, "the http/command payload is the saved file, byte for byte");
        assertEquals(saved, Rgb8Image.of(ImageIO.read(new ByteArrayInputStream(payload))));

        // CLIP at its own size (no resize, no crop): the float image and the saved file give the same input
        ClipImageProcessor clip = new ClipImageProcessor(SIZE);
        assertArrayEquals(clip.preprocess(PixelQuantizer.toChw(saved), SIZE, SIZE), clip.preprocess(chw, SIZE, SIZE),
                "CLIP input");
    }

    @Test
    void aSavedSampleScoresAsInTraining() {
        float[] chw = imageWithTies();
        assertSameScoreFromFile(chw, SIZE, SIZE);
    }

    /** The reference's decoded images (image 0 has a float32 tie, at 199.5), saved and scored again from the file. */
    @Test
    void fixtureSamplesSavedAndRescoredKeepTheReferenceJpegReward() {
        try (SafetensorsReader r = SafetensorsReader.open(Fixtures.reference("pipeline.safetensors"))) {
            long[] shape = r.info("image").shape(); // (N, 3, H, W)
            float[] all = r.floats("image");
            java.nio.DoubleBuffer ref = r.bytes("image_reward_jpeg_compressibility").asDoubleBuffer();
            int per = (int) (shape[1] * shape[2] * shape[3]);
            for (int b = 0; b < shape[0]; b++) {
                float[] chw = Arrays.copyOfRange(all, b * per, (b + 1) * per);
                double score = assertSameScoreFromFile(chw, (int) shape[2], (int) shape[3]);
                assertEquals(ref.get(b), score, 0, "image " + b + " against the reference");
            }
        }
    }

    /** Scores {@code chw} as training does and as {@code score} does from its saved PNG; returns the score. */
    private double assertSameScoreFromFile(float[] chw, int h, int w) {
        Path file = dir.resolve("sample.png");
        ImageFiles.writePng(chw, 0, h, w, file);
        int[] hw = new int[2];
        float[] reread = ImageFiles.readChw(file, hw);
        JpegReward jpeg = JpegReward.compressibility();
        double inTraining = jpeg.scoreNow(new RewardBatch(List.of(chw), h, w, List.of(""), List.of(Map.of()))).scores()[0];
        double fromFile = jpeg.scoreNow(new RewardBatch(List.of(reread), hw[0], hw[1], List.of(""), List.of(Map.of()))).scores()[0];
        assertEquals(inTraining, fromFile, 0, "JPEG reward of the saved PNG");
        return inTraining;
    }
}
