package ddpo4j.world;

/**
 * Decides a component's kind by fitting each kind's template to its soft mask, which holds up on
 * blurred, noisy images where the hard component's bounding box (and so its fill ratio) does not.
 *
 * <ol>
 *   <li>Soft mask: around the component (its pixels dilated by {@link #DILATE} px, minus pixels of
 *       other components), each pixel's membership α ∈ [0, 1] is its colour's position on the
 *       segment from the background colour to the shape colour (projection, clamped); pixels
 *       farther than the tolerance from that segment (another colour) get 0. A blur keeps the sum
 *       and the centroid of α, so the mass M = Σα estimates the shape's true area.
 *       Values under {@link #NOISE_FLOOR} count as 0 (background noise would otherwise add mass).
 *   <li>Templates: kind k of fill ratio f_k (box area share) has side s_k = √(M / f_k); it is
 *       placed with its centroid on the mask's centroid (a triangle's centroid is 2/3 down its box),
 *       rendered with 4 × 4 sub-pixel coverage and blurred by each σ of {@link #SIGMAS}.
 *   <li>Score: soft IoU Σ min(α, t) / Σ max(α, t) of mask and template at its best σ; the best
 *       kind wins. Fitting the blur matters: a blurred square is closer to a sharp circle than to
 *       a sharp square, but closest of all to a blurred square.
 * </ol>
 *
 * The dilation of 4 px reaches the tails of a σ = 2 px blur; the generator's 3 px gap between
 * boxes keeps neighbours out (their own pixels are excluded, and other colours are off-segment).
 */
final class KindClassifier {
    static final int DILATE = 4;
    private static final int SUB = 4;
    static final double NOISE_FLOOR = 0.1;
    /** Blurs tried for each template; the best fit counts. */
    static final double[] SIGMAS = {0, 0.5, 1, 1.5, 2, 2.5};

    private KindClassifier() {}

    /** A kind decision with its score per kind (indexed by ordinal). */
    record Fit(ShapeKind kind, double[] scores, double mass, double centerX, double centerY) {}

    /**
     * @param component the component's id in {@code ids}; pixels of other components are excluded
     */
    static Fit classify(float[] chw, int offset, int height, int width, int[] ids, int component, int bx, int by, int bw,
            int bh, NamedColor color, NamedColor background, double tolerance) {
        int plane = height * width;
        // 1. soft mask on the component's box grown by DILATE
        int x0 = Math.max(0, bx - DILATE);
        int y0 = Math.max(0, by - DILATE);
        int x1 = Math.min(width, bx + bw + DILATE);
        int y1 = Math.min(height, by + bh + DILATE);
        float[] d = new float[3];
        double dd = 0;
        for (int c = 0; c < 3; c++) {
            d[c] = color.channel(c) - background.channel(c);
            dd += d[c] * d[c];
        }
        double tol = tolerance / 255.0;
        int mw = x1 - x0;
        int mh = y1 - y0;
        double[] alpha = new double[mw * mh];
        double mass = 0;
        double sx = 0;
        double sy = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                int p = y * width + x;
                if (ids[p] != component && (ids[p] >= 0 || !near(ids, width, height, x, y, component))) {
                    continue;
                }
                double dot = 0;
                double[] rel = new double[3];
                for (int c = 0; c < 3; c++) {
                    rel[c] = chw[offset + c * plane + p] - background.channel(c);
                    dot += rel[c] * d[c];
                }
                double a = dot / dd;
                double off = 0;
                for (int c = 0; c < 3; c++) {
                    double e = rel[c] - a * d[c];
                    off += e * e;
                }
                if (Math.sqrt(off) > tol) {
                    continue;
                }
                a = a < NOISE_FLOOR ? 0 : Math.min(1, a);
                alpha[(y - y0) * mw + (x - x0)] = a;
                mass += a;
                sx += a * (x + 0.5);
                sy += a * (y + 0.5);
            }
        }
        double cx = sx / mass;
        double cy = sy / mass;
        // 2-3. template per kind, at the blur that fits it best, soft IoU
        double[] scores = new double[ShapeKind.values().length];
        ShapeKind best = ShapeKind.CIRCLE;
        for (ShapeKind k : ShapeKind.values()) {
            double s = Math.sqrt(mass / k.fillRatio());
            double score = 0;
            for (double sigma : SIGMAS) {
                score = Math.max(score, iou(alpha, x0, y0, x1, y1, k, cx, cy, s, sigma));
            }
            scores[k.ordinal()] = score;
            if (score > scores[best.ordinal()]) {
                best = k;
            }
        }
        return new Fit(best, scores, mass, cx, cy);
    }

    /** Soft IoU of the mask with kind {@code k} of side {@code s} centred (by centroid) on (cx, cy), blurred by sigma. */
    private static double iou(double[] alpha, int x0, int y0, int x1, int y1, ShapeKind k, double cx, double cy, double s,
            double sigma) {
        int mw = x1 - x0;
        int pad = (int) Math.ceil(3 * sigma);
        double tx = cx - s / 2;
        double ty = k == ShapeKind.TRIANGLE ? cy - 2 * s / 3 : cy - s / 2;
        int wx0 = Math.min(x0, (int) Math.floor(tx) - pad);
        int wy0 = Math.min(y0, (int) Math.floor(ty) - pad);
        int wx1 = Math.max(x1, (int) Math.ceil(tx + s) + pad);
        int wy1 = Math.max(y1, (int) Math.ceil(ty + s) + pad);
        int ww = wx1 - wx0;
        int wh = wy1 - wy0;
        double[] t = new double[ww * wh];
        for (int y = wy0; y < wy1; y++) {
            for (int x = wx0; x < wx1; x++) {
                int in = 0;
                for (int sy = 0; sy < SUB; sy++) {
                    for (int sx = 0; sx < SUB; sx++) {
                        if (k.contains(x + (sx + 0.5) / SUB, y + (sy + 0.5) / SUB, tx, ty, s)) {
                            in++;
                        }
                    }
                }
                t[(y - wy0) * ww + (x - wx0)] = in / (double) (SUB * SUB);
            }
        }
        if (sigma > 0) {
            t = blur(t, ww, wh, sigma);
        }
        double inter = 0;
        double union = 0;
        for (int y = wy0; y < wy1; y++) {
            for (int x = wx0; x < wx1; x++) {
                double a = x >= x0 && x < x1 && y >= y0 && y < y1 ? alpha[(y - y0) * mw + (x - x0)] : 0;
                double v = t[(y - wy0) * ww + (x - wx0)];
                inter += Math.min(a, v);
                union += Math.max(a, v);
            }
        }
        return union > 0 ? inter / union : 0;
    }

    /** Separable Gaussian blur of a w × h map (zero outside). */
    private static double[] blur(double[] m, int w, int h, double sigma) {
        double[] k = Degradation.gaussianKernel(sigma);
        int r = k.length / 2;
        double[] tmp = new double[m.length];
        double[] out = new double[m.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double acc = 0;
                for (int i = Math.max(-r, -x); i <= Math.min(r, w - 1 - x); i++) {
                    acc += k[i + r] * m[y * w + x + i];
                }
                tmp[y * w + x] = acc;
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double acc = 0;
                for (int i = Math.max(-r, -y); i <= Math.min(r, h - 1 - y); i++) {
                    acc += k[i + r] * tmp[(y + i) * w + x];
                }
                out[y * w + x] = acc;
            }
        }
        return out;
    }

    /** Whether an unlabeled pixel is within DILATE of the component (and so may be its soft edge). */
    private static boolean near(int[] ids, int width, int height, int x, int y, int component) {
        for (int dy = -DILATE; dy <= DILATE; dy++) {
            int ny = y + dy;
            if (ny < 0 || ny >= height) {
                continue;
            }
            for (int dx = -DILATE; dx <= DILATE; dx++) {
                int nx = x + dx;
                if (nx >= 0 && nx < width && ids[ny * width + nx] == component) {
                    return true;
                }
            }
        }
        return false;
    }
}
