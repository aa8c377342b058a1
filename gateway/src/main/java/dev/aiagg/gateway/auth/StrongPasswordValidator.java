package dev.aiagg.gateway.auth;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

/** Built by Spring's constraint validator factory, which injects the policy. */
class StrongPasswordValidator implements ConstraintValidator<StrongPassword, String> {

    private final PasswordPolicy policy;

    StrongPasswordValidator(PasswordPolicy policy) {
        this.policy = policy;
    }

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        String problem = policy.problem(value);
        if (problem == null) {
            return true;
        }
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(problem).addConstraintViolation();
        return false;
    }
}
