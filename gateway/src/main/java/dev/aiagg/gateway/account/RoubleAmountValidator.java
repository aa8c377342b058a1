package dev.aiagg.gateway.account;

import dev.aiagg.api.Money;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;

class RoubleAmountValidator implements ConstraintValidator<RoubleAmount, String> {

    private RoubleAmount.Sign sign;

    @Override
    public void initialize(RoubleAmount annotation) {
        sign = annotation.sign();
    }

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        if (value == null) {
            return true;
        }
        long micros;
        try {
            micros = Money.parseMicros(value);
        } catch (IllegalArgumentException e) {
            return refuse(context, e.getMessage());
        }
        if (sign == RoubleAmount.Sign.POSITIVE && micros <= 0) {
            return refuse(context, "must be greater than zero");
        }
        if (sign == RoubleAmount.Sign.NON_ZERO && micros == 0) {
            return refuse(context, "must not be zero");
        }
        return true;
    }

    private static boolean refuse(ConstraintValidatorContext context, String message) {
        context.disableDefaultConstraintViolation();
        context.buildConstraintViolationWithTemplate(message.replace("{", "\\{").replace("$", "\\$"))
                .addConstraintViolation();
        return false;
    }
}
