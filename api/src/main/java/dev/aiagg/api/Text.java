package dev.aiagg.api;

/**
 * What text each kind of field may hold: the one rule, used by the HTTP edge to refuse a request and by the
 * aggregates to refuse a command, so that no event ever carries a character a read model, a log or a person cannot
 * take. Events are kept forever and PostgreSQL's {@code text} refuses NUL.
 *
 * <p>Text is taken exactly as sent or refused, never silently changed: leading or trailing whitespace is refused
 * like any other forbidden character. Lengths count Unicode code points.
 *
 * <p>Human-readable kinds ({@link Kind#DISPLAY_NAME}, {@link Kind#FREE_TEXT}) take any letter, mark, digit,
 * punctuation, symbol and space of any script (Cyrillic: «ООО "Ромашка"»), but no control character (C0, DEL, C1),
 * no format character (the invisible and bidirectional ones that make a name show something else: U+200B–U+200F,
 * U+202A–U+202E, U+2066–U+2069, U+FEFF and the rest of Unicode's category Cf), no line or paragraph separator, no
 * private-use or unassigned code point and no lone surrogate. The other kinds are narrower still.
 */
public final class Text {

    public enum Kind {
        /** A company's or an API key's name, shown to people. */
        DISPLAY_NAME(200, "letters, digits, punctuation, symbols and inner spaces"),
        /** A reason or description written by a person, shown to people; one line. */
        FREE_TEXT(500, "letters, digits, punctuation, symbols and inner spaces, on one line"),
        /** An e-mail address: one '@' between a local part and a domain, printable, no spaces. */
        EMAIL(254, "an e-mail address such as name@example.com, without spaces"),
        /** Ids of companies, members, keys, adjustments and requests, and idempotency keys. */
        IDENTIFIER(128, "ASCII letters, digits, '.', '_', ':' or '-'"),
        /** A model of the catalogue as clients name it. */
        MODEL_ID(128, "ASCII letters, digits, '.', '_', ':' or '-', starting with a letter or digit"),
        /** A provider's own name for a model (OpenRouter's contain '/'). */
        UPSTREAM_MODEL(200, "ASCII letters, digits, '.', '_', ':', '-', '/', '@' or '+', starting with a letter "
                + "or digit"),
        /** A company's referral code. */
        REFERRAL_CODE(32, "ASCII letters and digits");

        private final int maxLength;
        private final String allowed;

        Kind(int maxLength, String allowed) {
            this.maxLength = maxLength;
            this.allowed = allowed;
        }

        public int maxLength() {
            return maxLength;
        }

        /** The characters this kind takes, as a refusal tells it. */
        public String allowed() {
            return allowed;
        }
    }

    private Text() {
    }

    /**
     * Why the value is not acceptable text of its kind, or null when it is. Null is "required"; callers for whom
     * the field is optional check for null first.
     */
    public static String problem(Kind kind, String value) {
        if (value == null) {
            return "is required";
        }
        if (value.isEmpty()) {
            return "must not be empty";
        }
        // A code point takes at most two chars: a longer string is too long whatever it holds, and is not scanned.
        if (value.length() > 2 * kind.maxLength || value.codePointCount(0, value.length()) > kind.maxLength) {
            return "must be at most " + kind.maxLength + " characters long";
        }
        if (isSpace(value.codePointAt(0)) || isSpace(value.codePointBefore(value.length()))) {
            return "must not start or end with whitespace";
        }
        return switch (kind) {
            case DISPLAY_NAME, FREE_TEXT -> readable(value) ? null : refusal(kind);
            case EMAIL -> email(value) ? null : refusal(kind);
            case IDENTIFIER -> ascii(value, false, "._:-") ? null : refusal(kind);
            case MODEL_ID -> ascii(value, true, "._:-") ? null : refusal(kind);
            case UPSTREAM_MODEL -> ascii(value, true, "._:-/@+") ? null : refusal(kind);
            case REFERRAL_CODE -> ascii(value, false, "") ? null : refusal(kind);
        };
    }

    /**
     * The command-side check: the value when it is acceptable text of its kind.
     *
     * @throws DomainException {@code invalid_input} naming the field otherwise
     */
    public static String require(Kind kind, String value, String field) {
        String problem = problem(kind, value);
        if (problem != null) {
            throw new DomainException("invalid_input", field + " " + problem);
        }
        return value;
    }

    /** As {@link #require}, for a field that may be absent: null passes. */
    public static String requireOptional(Kind kind, String value, String field) {
        return value == null ? null : require(kind, value, field);
    }

    private static String refusal(Kind kind) {
        return "may only contain " + kind.allowed;
    }

    private static boolean readable(String value) {
        for (int i = 0; i < value.length(); ) {
            int codePoint = value.codePointAt(i);
            if (!readable(codePoint)) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }

    private static boolean readable(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE,
                 Character.UNASSIGNED, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
            default -> true;
        };
    }

    /** Printable, no whitespace, exactly one '@' with something on either side. */
    private static boolean email(String value) {
        int at = value.indexOf('@');
        if (at <= 0 || at != value.lastIndexOf('@') || at == value.length() - 1) {
            return false;
        }
        for (int i = 0; i < value.length(); ) {
            int codePoint = value.codePointAt(i);
            if (!readable(codePoint) || isSpace(codePoint)) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }

    private static boolean ascii(String value, boolean alphanumericFirst, String punctuation) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean alphanumeric = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
            if (!alphanumeric && (i == 0 && alphanumericFirst || punctuation.indexOf(c) < 0)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSpace(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
    }
}
