package dev.aiagg.gateway.auth;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * What a new password must be, wherever one is set (registration, a new member, the first operator): 10 to 72
 * characters (bcrypt ignores what follows), a letter and a digit, no control character, and none of the 100,000
 * most common passwords whatever its case. The list is nbvcxz's ({@code dictionaries/passwords.txt}, MIT licence);
 * only its entries of an allowed length are kept in memory.
 */
@Component
class PasswordPolicy {

    static final int MIN_LENGTH = 10;
    static final int MAX_LENGTH = 72;
    private static final String COMMON_PASSWORDS = "dictionaries/passwords.txt";

    private final Set<String> common;

    PasswordPolicy() {
        this.common = load();
    }

    /** Why the password may not be set, or null when it may. */
    String problem(String password) {
        if (password == null) {
            return "is required";
        }
        if (password.length() < MIN_LENGTH || password.length() > MAX_LENGTH) {
            return "must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters long";
        }
        if (password.codePoints().anyMatch(Character::isISOControl)) {
            return "must not contain control characters";
        }
        if (password.codePoints().noneMatch(Character::isLetter) || password.codePoints().noneMatch(Character::isDigit)) {
            return "must contain a letter and a digit";
        }
        if (common.contains(password.toLowerCase(Locale.ROOT))) {
            return "is one of the most common passwords; choose another";
        }
        return null;
    }

    private static Set<String> load() {
        InputStream list = PasswordPolicy.class.getClassLoader().getResourceAsStream(COMMON_PASSWORDS);
        if (list == null) {
            throw new IllegalStateException("the list of common passwords (" + COMMON_PASSWORDS + ") is missing");
        }
        Set<String> passwords = new HashSet<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(list, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                String password = line.strip().toLowerCase(Locale.ROOT);
                if (password.length() >= MIN_LENGTH && password.length() <= MAX_LENGTH) {
                    passwords.add(password);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + COMMON_PASSWORDS, e);
        }
        return Set.copyOf(passwords);
    }
}
