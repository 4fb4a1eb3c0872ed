package ddpo4j.world;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ShapeDetectorTest {
    private final SceneGenerator gen = new SceneGenerator(WorldConfig.DEFAULT);
    private final ShapeDetector detector = new ShapeDetector();

    private static void report(String what, DetectorAccuracy.Result r) {
        System.out.printf("detector %-34s image exact %.4f, colour x kind exact %.4f, kind %.4f%n", what,
                r.imageExact(), r.colorKindExact(), r.kindAccuracy());
    }

    @Test
    void exactOnCleanGeneratedImages() {
        // measured: 1.0 on 2,000 images (README); every count of every colour x kind right
        DetectorAccuracy.Result r = DetectorAccuracy.measure(gen, detector, Degradation.NONE, 500, 11);
        report("clean, 500 images", r);
        assertTrue(r.imageExact() >= 0.999, r.toMap().toString());
        r.perColorKind().forEach((k, v) -> assertEquals(1.0, v, 1e-9, k));
    }

    @Test
    void robustToBlurAndNoise() {
        // measured on 2,000 images: 1.0 at blur 1 / noise 0.05 and at blur 1.5 / noise 0.05
        DetectorAccuracy.Result r = DetectorAccuracy.measure(gen, detector, new Degradation(1.0, 0.05), 300, 12);
        report("blur 1 px + noise 0.05, 300 images", r);
        assertTrue(r.imageExact() >= 0.99, r.toMap().toString());
        DetectorAccuracy.Result aa = DetectorAccuracy.measure(new SceneGenerator(WorldConfig.DEFAULT.withSupersample(4)),
                detector, Degradation.NONE, 200, 13);
        report("anti-aliased (4x4), 200 images", aa);
        assertTrue(aa.imageExact() >= 0.99, aa.toMap().toString());
    }

    @Test
    void mixedScenesWithNeighboursOfOtherColours() {
        SceneGenerator mixed = new SceneGenerator(WorldConfig.DEFAULT.withShapes(2, 4, 4));
        DetectorAccuracy.Result r = DetectorAccuracy.measure(mixed, detector, new Degradation(1.0, 0.05), 200, 14);
        report("mixed colours, blur 1 + noise 0.05", r);
        assertTrue(r.imageExact() >= 0.99, r.toMap().toString());
    }

    @Test
    void findsOneShapeWhereItIs() {
        Scene scene = new Scene(64, 64, NamedColor.WHITE,
                List.of(new PlacedShape(ShapeKind.TRIANGLE, NamedColor.BLUE, 20, 30, 14),
                        new PlacedShape(ShapeKind.SQUARE, NamedColor.BLUE, 40, 5, 12)),
                SceneSpec.of(1, NamedColor.BLUE, ShapeKind.TRIANGLE, NamedColor.WHITE));
        Detection d = detector.detect(scene.render(), 64, 64);
        assertEquals(NamedColor.WHITE, d.background());
        assertEquals(2, d.shapes().size());
        assertEquals(1, d.count(NamedColor.BLUE, ShapeKind.TRIANGLE));
        assertEquals(1, d.count(NamedColor.BLUE, ShapeKind.SQUARE));
        assertEquals(2, d.count(NamedColor.BLUE));
        assertEquals(0, d.count(NamedColor.RED));
        DetectedShape tri = d.shapes().stream().filter(s -> s.kind() == ShapeKind.TRIANGLE).findFirst().orElseThrow();
        assertEquals(27, tri.centerX(), 0.5);
        assertEquals(30 + 14 * 2 / 3.0, tri.centerY(), 0.5);
        assertEquals(20, tri.boxX());
        assertEquals(0.5, tri.fill(), 0.08);
        assertEquals(1, detector.count(scene.render(), 64, 64, NamedColor.BLUE, ShapeKind.SQUARE));
    }

    @Test
    void specksAndBackgroundColouredShapesAreNotCounted() {
        float[] img = new Scene(64, 64, NamedColor.BLACK, List.of(), SceneSpec.of(1, NamedColor.RED, ShapeKind.CIRCLE, null))
                .render();
        int plane = 64 * 64;
        for (int p : new int[] {100, 101, 164, 2000}) { // a 3-pixel red speck and one lone pixel
            img[p] = 1f;
        }
        Detection d = detector.detect(img, 64, 64);
        assertEquals(NamedColor.BLACK, d.background());
        assertEquals(0, d.shapes().size());
        // a gray square on black: gray is a background colour, never a shape
        Scene gray = new Scene(64, 64, NamedColor.BLACK, List.of(new PlacedShape(ShapeKind.SQUARE, NamedColor.GRAY, 5, 5, 14)),
                SceneSpec.of(1, NamedColor.RED, ShapeKind.CIRCLE, null));
        assertEquals(0, detector.detect(gray.render(), 64, 64).shapes().size());
        assertEquals(plane * 3, img.length);
    }

    @Test
    void softDesaturatedShapesStillCount() {
        // what a diffusion model draws: muted colours, blur, noise
        Scene scene = gen.place(SceneSpec.of(3, NamedColor.GREEN, ShapeKind.CIRCLE, NamedColor.GRAY), new SplittableRandom(5));
        float[] img = new Degradation(1.2, 0.04).apply(scene.render(), 64, 64, new SplittableRandom(6));
        for (int i = 0; i < img.length; i++) {
            img[i] = 0.5f + (img[i] - 0.5f) * 0.8f; // contrast 0.8: green becomes (26, 230, 26)
        }
        assertEquals(3, detector.count(img, 64, 64, NamedColor.GREEN, ShapeKind.CIRCLE));
    }
}
