package dev.aiagg.proxy;

/**
 * What one pass over a text tells before it is tokenized: its UTF-8 length (the cheap bound), its longest run of one
 * kind of character (what makes a tokenizer slow and hungry), and what other vendors' tokenizers split finer than
 * OpenAI's. Reused for the texts of one request, so counting allocates nothing of its own.
 */
final class TextShape {

    private static final int LETTER = 1;
    private static final int SPACE = 2;
    private static final int OTHER = 3;
    private static final int DIGIT = 4;
    /** A run of one repeated character is one token per this many characters at least, in the finest tokenizers. */
    private static final int REPEAT = 8;

    private long bytes;
    private int longestRun;
    private long digits;
    private long breaks;
    private long repeats;

    /** Reads {@code text}; the accessors describe it until the next scan. */
    TextShape scan(String text) {
        bytes = 0;
        longestRun = 0;
        digits = 0;
        breaks = 0;
        repeats = 0;
        int kind = 0;
        int run = 0;
        char previous = 0;
        int same = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            int k;
            if (c < 0x80) {
                bytes++;
                if (c >= '0' && c <= '9') {
                    k = DIGIT;
                    digits++;
                } else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') {
                    k = LETTER;
                } else if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0x0B) {
                    k = SPACE;
                    if (c != ' ') {
                        breaks++;
                    }
                } else {
                    k = OTHER;
                }
            } else {
                bytes += c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
                k = Character.isLetter(c) || isMark(c) ? LETTER
                        : Character.isDigit(c) ? DIGIT
                        : Character.isWhitespace(c) ? SPACE : OTHER;
                if (k == DIGIT) {
                    digits++;
                }
            }
            // Digits make pieces of at most three, so only the other kinds make long runs.
            run = k == kind && k != DIGIT ? run + 1 : 1;
            kind = k;
            if (run > longestRun) {
                longestRun = run;
            }
            if (c == previous) {
                same++;
            } else {
                repeats += repeatTokens(same);
                same = 1;
                previous = c;
            }
        }
        repeats += repeatTokens(same);
        return this;
    }

    long bytes() {
        return bytes;
    }

    int longestRun() {
        return longestRun;
    }

    /**
     * What other vendors' tokenizers may make beyond a multiple of OpenAI's count: a token per digit (Gemini, Llama
     * and Mistral split numbers into digits, OpenAI's into threes), per line break or tab (SentencePiece keeps each),
     * and per few characters of a repeated one (OpenAI merges long runs of one character into a few tokens).
     */
    long foreignExtra() {
        return digits + breaks + repeats;
    }

    private static long repeatTokens(int same) {
        return same >= REPEAT ? (same + REPEAT - 1) / REPEAT : 0;
    }

    private static boolean isMark(char c) {
        int type = Character.getType(c);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }
}
