package dev.aiagg.api;

/** The target does not exist, or belongs to another company (which must look the same to the caller). */
public class NotFoundException extends DomainException {

    public NotFoundException(String message) {
        super("not_found", message);
    }
}
