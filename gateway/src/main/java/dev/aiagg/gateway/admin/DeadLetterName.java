package dev.aiagg.gateway.admin;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A processing group or sequence identifier as the dead-letter table keeps them: 1 to 255 printable characters. */
@Size(min = 1, max = 255)
@Pattern(regexp = "[^\\p{Cntrl}]+")
@ReportAsSingleViolation
@Constraint(validatedBy = {})
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@interface DeadLetterName {

    String message() default "must be 1 to 255 characters without control characters";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
