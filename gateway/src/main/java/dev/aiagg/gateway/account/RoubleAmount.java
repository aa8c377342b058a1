package dev.aiagg.gateway.account;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A rouble amount as JSON carries it: a decimal string with at most six decimals (see {@link dev.aiagg.api.Money}).
 * Null is valid; combine with {@code @NotNull} where the amount is required.
 */
@Documented
@Constraint(validatedBy = RoubleAmountValidator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
public @interface RoubleAmount {

    Sign sign() default Sign.POSITIVE;

    String message() default "must be a positive decimal amount such as \"100.00\"";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    enum Sign {
        POSITIVE, NON_ZERO
    }
}
