package dev.aiagg.command;

import dev.aiagg.api.DomainException;
import org.hamcrest.CustomTypeSafeMatcher;
import org.hamcrest.Matcher;

/** Matches a command refusal by its stable code, the part of a refusal that callers rely on. */
public final class Refusals {

    private Refusals() {
    }

    public static Matcher<DomainException> refusedWith(String code) {
        return new CustomTypeSafeMatcher<>("a refusal with code " + code) {
            @Override
            protected boolean matchesSafely(DomainException refusal) {
                return code.equals(refusal.code());
            }
        };
    }
}
