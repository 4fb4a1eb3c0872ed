package ddpo4j.rewards.judge;

import ddpo4j.models.judge.JudgeAnswers;
import ddpo4j.models.judge.JudgeConfig;
import ddpo4j.world.Captions;
import ddpo4j.world.NamedColor;
import ddpo4j.world.ShapeGroup;
import ddpo4j.world.ShapeKind;
import java.util.ArrayList;
import java.util.List;

/**
 * The judge's description of an image in the world's caption grammar: every colour × kind it
 * counts at least once ("two red circles and a blue square"), in the judge's colour and kind
 * order, with "on a … background" when asked. An image where it sees nothing is "nothing".
 */
public final class JudgeCaption {
    public static final String NOTHING = "nothing";

    private JudgeCaption() {}

    public static String of(JudgeAnswers a, boolean withBackground) {
        JudgeConfig c = a.config();
        List<ShapeGroup> groups = new ArrayList<>();
        for (NamedColor color : c.colors()) {
            for (ShapeKind kind : c.kinds()) {
                int n = a.count(color, kind);
                if (n > 0) {
                    groups.add(new ShapeGroup(n, color, kind));
                }
            }
        }
        if (groups.isEmpty()) {
            return withBackground ? NOTHING + " on a " + a.background().word() + " background" : NOTHING;
        }
        return Captions.write(groups, withBackground ? a.background() : null, true);
    }
}
