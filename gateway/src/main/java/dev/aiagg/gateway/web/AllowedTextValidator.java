package dev.aiagg.gateway.web;

import dev.aiagg.api.Text;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

class AllowedTextValidator implements ConstraintValidator<AllowedText, String> {

    private Text.Kind kind;

    @Override
    public void initialize(AllowedText annotation) {
        kind = annotation.value();
    }

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        String problem = value == null ? null : Text.problem(kind, value);
        return problem == null || Constraints.refuse(context, problem);
    }
}
