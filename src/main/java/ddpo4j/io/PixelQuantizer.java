package ddpo4j.io;

/**
 * The one rule that turns model images (float CHW in [0, 1]) into 8-bit pixels, shared by saved
 * PNGs, reward payloads, the JPEG reward and CLIP input, so a saved sample is exactly the image a
 * reward saw. It is torch's {@code (x * 255).round().clamp(0, 255).to(uint8)}, which ddpo-pytorch
 * applies before every reward (and numpy's {@code round}, which diffusers' {@code numpy_to_pil} uses,
 * agrees).
 */
public final class PixelQuantizer {
    private PixelQuantizer() {}

    /**
     * {@code x * 255} as a float32 product, rounded half to even ({@link Math#rint}, not
     * {@link Math#round}: {@code 2.5f / 255f} gives 2, as torch), clamped to [0, 255]; NaN gives 0,
     * as torch's uint8 cast does on x86.
     */
    public static int toUint8(float x) {
        double v = Math.rint(x * 255f);
        return v >= 255 ? 255 : v > 0 ? (int) v : 0;
    }

    /** The CHW float image at {@code offset} of {@code chw} as interleaved 8-bit RGB. */
    public static Rgb8Image toRgb8(float[] chw, int offset, int height, int width) {
        int plane = height * width;
        if (offset < 0 || chw.length - offset < 3 * plane) {
            throw new IllegalArgumentException("no 3x" + height + "x" + width + " image at offset " + offset
                    + " of " + chw.length + " floats");
        }
        byte[] rgb = new byte[3 * plane];
        for (int p = 0; p < plane; p++) {
            rgb[3 * p] = (byte) toUint8(chw[offset + p]);
            rgb[3 * p + 1] = (byte) toUint8(chw[offset + plane + p]);
            rgb[3 * p + 2] = (byte) toUint8(chw[offset + 2 * plane + p]);
        }
        return new Rgb8Image(height, width, rgb);
    }

    /** The inverse on 8-bit values: {@code v / 255f} per channel, CHW, which {@link #toRgb8} maps back to the same bytes. */
    public static float[] toChw(Rgb8Image image) {
        int plane = image.height() * image.width();
        byte[] rgb = image.rgb();
        float[] chw = new float[3 * plane];
        for (int p = 0; p < plane; p++) {
            chw[p] = (rgb[3 * p] & 0xFF) / 255f;
            chw[plane + p] = (rgb[3 * p + 1] & 0xFF) / 255f;
            chw[2 * plane + p] = (rgb[3 * p + 2] & 0xFF) / 255f;
        }
        return chw;
    }
}
