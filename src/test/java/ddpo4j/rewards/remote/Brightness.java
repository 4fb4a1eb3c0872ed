package ddpo4j.rewards.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;

/** The test reward servers' scoring: mean brightness of each PNG, looked at pixel by pixel. */
public final class Brightness {
    static final ObjectMapper JSON = new ObjectMapper();

    private Brightness() {}

    /** The protocol answer to {@code request}: score = mean of R, G, B over the image, in [0, 1]. */
    public static ObjectNode answer(JsonNode request) {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode scores = out.putArray("scores");
        ArrayNode info = out.putArray("info");
        JsonNode images = request.get("images");
        for (int i = 0; i < images.size(); i++) {
            BufferedImage img = decode(images.get(i).asText());
            double sum = 0;
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    int rgb = img.getRGB(x, y);
                    sum += ((rgb >> 16) & 255) + ((rgb >> 8) & 255) + (rgb & 255);
                }
            }
            scores.add(sum / (3.0 * 255 * img.getWidth() * img.getHeight()));
            ObjectNode details = info.addObject();
            details.put("prompt", request.get("prompts").get(i).asText());
            details.set("metadata", request.get("metadata").get(i));
            details.put("width", img.getWidth());
        }
        return out;
    }

    private static BufferedImage decode(String base64) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(base64)));
            if (img == null) {
                throw new IllegalArgumentException("not a PNG");
            }
            return img;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
