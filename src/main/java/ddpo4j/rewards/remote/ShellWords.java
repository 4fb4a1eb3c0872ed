package ddpo4j.rewards.remote;

import ddpo4j.rewards.RewardException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into words as a POSIX shell would for simple quoting: blanks separate
 * words, {@code '...'} is literal, {@code "..."} allows {@code \"} and {@code \\}, a backslash
 * outside quotes escapes the next character. No variables, globs or pipes: there is no shell.
 */
public final class ShellWords {
    private ShellWords() {}

    public static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new RewardException("unterminated ' quote in command: " + line);
                }
                word.append(line, i + 1, end);
                i = end;
                inWord = true;
            } else if (c == '"') {
                i = readDoubleQuoted(line, i, word);
                inWord = true;
            } else if (c == '\\' && i + 1 < line.length()) {
                word.append(line.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** Appends the body of the double-quoted string opening at {@code open}; returns the closing quote's index. */
    private static int readDoubleQuoted(String line, int open, StringBuilder word) {
        for (int i = open + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                return i;
            }
            if (c == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0) {
                c = line.charAt(++i);
            }
            word.append(c);
        }
        throw new RewardException("unterminated \" quote in command: " + line);
    }
}
