package dev.aiagg.api;

/**
 * A command was refused by a business rule. The {@link #code()} is stable and maps to an HTTP status at the edge.
 */
public class DomainException extends RuntimeException {

    private final String code;

    public DomainException(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
