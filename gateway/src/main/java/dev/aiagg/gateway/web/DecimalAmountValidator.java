package dev.aiagg.gateway.web;

import dev.aiagg.api.Money;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import java.math.BigDecimal;

class DecimalAmountValidator implements ConstraintValidator<DecimalAmount, String> {

    private DecimalAmount.Sign sign;
    private boolean roubles;

    @Override
    public void initialize(DecimalAmount annotation) {
        sign = annotation.sign();
        roubles = annotation.roubles();
    }

    @Override
    public boolean isValid(String value, ConstraintValidatorContext context) {
        if (value == null) {
            return true;
        }
        BigDecimal amount;
        try {
            amount = Money.parseDecimal(value, sign == DecimalAmount.Sign.NON_ZERO);
            if (roubles) {
                Money.parseMicros(value);
            }
        } catch (IllegalArgumentException e) {
            return Constraints.refuse(context, e.getMessage());
        }
        if (sign == DecimalAmount.Sign.POSITIVE && amount.signum() <= 0) {
            return Constraints.refuse(context, "must be greater than zero");
        }
        if (sign == DecimalAmount.Sign.NON_ZERO && amount.signum() == 0) {
            return Constraints.refuse(context, "must not be zero");
        }
        return true;
    }
}
