package ddpo4j.rewards.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ddpo4j.rewards.RewardException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShellWordsTest {
    @Test
    void splitsLikeAShellForSimpleQuoting() {
        assertEquals(List.of("python3", "reward.py"), ShellWords.split("  python3   reward.py "));
        assertEquals(List.of("python3", "my reward.py", "--name=a b"), ShellWords.split("python3 'my reward.py' --name=\"a b\""));
        assertEquals(List.of("a b", "say \"hi\"", "x\\y", "$HOME"), ShellWords.split("a\\ b \"say \\\"hi\\\"\" 'x\\y' '$HOME'"));
        assertEquals(List.of("", "x"), ShellWords.split("'' x"));
    }

    @Test
    void unterminatedQuotesAreErrors() {
        assertThrows(RewardException.class, () -> ShellWords.split("python3 'reward.py"));
        assertThrows(RewardException.class, () -> ShellWords.split("python3 \"reward.py"));
    }
}
