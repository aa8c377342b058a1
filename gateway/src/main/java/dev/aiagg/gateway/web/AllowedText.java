package dev.aiagg.gateway.web;

import dev.aiagg.api.Text;
import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Text of the given {@link Text.Kind}, by the one rule the aggregates apply too, so that a forbidden character is
 * a 400 naming the field rather than a refusal deep inside. Null is valid; combine with {@code @NotNull} where the
 * field is required.
 */
@Documented
@Constraint(validatedBy = AllowedTextValidator.class)
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
public @interface AllowedText {

    Text.Kind value();

    String message() default "is not allowed text";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
