package dev.aiagg.gateway.web;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An amount or price as JSON carries it: a decimal string read strictly by {@link dev.aiagg.api.Money#parseDecimal}
 * (ASCII digits, at most one point and six decimals, no exponent), a minus only for {@link Sign#NON_ZERO}; an amount
 * in {@link #roubles()} must also fit the ledger's micro-roubles. Null is valid; combine with {@code @NotNull} where
 * the amount is required.
 */
@Documented
@Constraint(validatedBy = DecimalAmountValidator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
public @interface DecimalAmount {

    Sign sign() default Sign.POSITIVE;

    /** False for a price or a percentage, which is not an amount of the ledger. */
    boolean roubles() default true;

    String message() default "must be a positive decimal amount such as \"100.00\"";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    enum Sign {
        /** More than zero: a hold, a budget. */
        POSITIVE,
        /** Negative or positive: a correction. */
        NON_ZERO,
        /** Zero or more: a price, a markup. */
        NON_NEGATIVE
    }
}
