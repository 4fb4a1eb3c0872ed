package ddpo4j.rewards.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A reward child process for the {@code command} tests: answers each request line with the
 * brightness scores, unless the first prompt asks for a fault: {@code sleep}, {@code garbage},
 * {@code wrong-count}, {@code nan} (sample 1), or {@code exit-once:FILE} (exits without answering if FILE
 * does not exist yet, creating it, so the restarted child answers).
 */
public final class RewardChild {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.err.println("child ready");
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            JsonNode request = Brightness.JSON.readTree(line);
            String mode = request.get("prompts").get(0).asText();
            if (mode.equals("sleep")) {
                Thread.sleep(60_000);
            } else if (mode.startsWith("exit-once:") && Files.notExists(Path.of(mode.substring(10)))) {
                Files.createFile(Path.of(mode.substring(10)));
                System.exit(3);
            }
            ObjectNode answer = Brightness.answer(request);
            if (mode.equals("garbage")) {
                // a stray debug line before the real answer: the answer must not be paired with the next request
                System.out.println("Traceback (most recent call last): oops");
            }
            if (mode.equals("wrong-count")) {
                answer.withArray("scores").remove(0);
            }
            String text = answer.toString();
            if (mode.equals("nan")) {
                // sample 1's score as Python's json.dumps writes float('nan'): a bare NaN token
                answer.withArray("scores").set(1, answer.numberNode(0.25));
                text = answer.toString().replace("0.25", "NaN");
            }
            System.out.println(text);
            System.err.println("scored " + request.get("images").size() + " images");
        }
    }
}
