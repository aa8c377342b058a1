package dev.aiagg.gateway.web;

import jakarta.validation.ConstraintValidatorContext;

/** What the API's own constraint validators share. */
final class Constraints {

    private Constraints() {
    }

    /** Replaces the constraint's default message with the given one, taken literally, and fails. */
    static boolean refuse(ConstraintValidatorContext context, String message) {
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(message.replace("\\", "\\\\").replace("{", "\\{")
                        .replace("$", "\\$"))
                .addConstraintViolation();
        return false;
    }
}
