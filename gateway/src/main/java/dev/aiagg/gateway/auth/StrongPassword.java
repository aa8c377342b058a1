package dev.aiagg.gateway.auth;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * At least 10 characters with a letter and a digit. At most 72, because bcrypt ignores whatever follows.
 */
@Documented
@Constraint(validatedBy = {})
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@NotNull
@Size(min = 10, max = 72)
@Pattern(regexp = "(?s)(?=.*\\p{L})(?=.*\\p{Nd}).*")
@ReportAsSingleViolation
public @interface StrongPassword {

    String message() default "must be 10 to 72 characters long and contain a letter and a digit";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
