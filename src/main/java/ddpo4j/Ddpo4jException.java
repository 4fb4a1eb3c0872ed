package ddpo4j;

/**
 * The one unchecked exception type ddpo4j throws for bad input: its message names the file, key or
 * option at fault, so the CLI can print it as is and exit non-zero.
 */
public class Ddpo4jException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Ddpo4jException(String message) {
        super(message);
    }

    public Ddpo4jException(String message, Throwable cause) {
        super(message, cause);
    }
}
