package ddpo4j.rewards.remote;

/** A credential read from the environment: usable in a request header, never printed. */
final class Secret {
    private final String value;
    private final String token;

    Secret(String value) {
        this.value = value;
        // "Bearer xyz": a server may echo only "xyz", so that part is blanked too.
        String last = value.strip().substring(value.strip().lastIndexOf(' ') + 1);
        this.token = last.length() >= 4 ? last : value;
    }

    String value() {
        return value;
    }

    /** {@code text} with the secret (and its token part) blanked, for messages built from server answers. */
    String mask(String text) {
        return text == null ? null : text.replace(value, "***").replace(token, "***");
    }

    @Override
    public String toString() {
        return "***";
    }
}
