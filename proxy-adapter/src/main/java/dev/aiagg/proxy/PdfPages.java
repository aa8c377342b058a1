package dev.aiagg.proxy;

import java.util.Base64;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The number of pages of a base64 PDF, read as it is decoded, a chunk at a time: every page object ({@code /Type
 * /Page}, names unescaped), those in compressed object streams too, or the largest page count a page tree states,
 * whichever is more. Unknown ({@code -1}) when the PDF is encrypted, cannot be decoded, names no page, or its object
 * streams inflate beyond a bound: then the caller counts the most pages a provider takes.
 */
final class PdfPages {

    /** Base64 characters decoded at a time: a multiple of four. */
    private static final int CHUNK = 64 * 1024;
    /** Inflated object streams of one PDF, at most: guards against a compression bomb. */
    private static final long MAX_INFLATED = 64L * 1024 * 1024;
    private static final int MAX_WORD = 32;

    private int pages;
    private long statedPages;
    private boolean encrypted;
    private boolean broken;
    private long inflated;

    private final Scanner outer = new Scanner(true);

    private PdfPages() {
    }

    /** @param data base64 from {@code start} to its end */
    static int count(String data, int start) {
        PdfPages pdf = new PdfPages();
        Base64.Decoder decoder = Base64.getDecoder();
        try {
            for (int from = start; from < data.length() && !pdf.broken && !pdf.encrypted; from += CHUNK) {
                byte[] bytes = decoder.decode(data.substring(from, Math.min(data.length(), from + CHUNK)));
                pdf.outer.feed(bytes, 0, bytes.length);
            }
        } catch (IllegalArgumentException notBase64) {
            return -1;
        } finally {
            pdf.outer.close();
        }
        long found = Math.max(pdf.pages, pdf.statedPages);
        return pdf.broken || pdf.encrypted || found == 0 ? -1 : (int) Math.min(Integer.MAX_VALUE, found);
    }

    /** Reads PDF tokens across chunk boundaries; the outer one inflates object streams into an inner one. */
    private final class Scanner {

        private final boolean outermost;
        private final StringBuilder word = new StringBuilder();
        private String previousName;
        private boolean inName;
        private boolean inComment;
        private int escape = -1;
        private boolean objectStreamNext;
        private int streamStart;
        private Inflater inflater;
        private Scanner inner;

        Scanner(boolean outermost) {
            this.outermost = outermost;
        }

        void feed(byte[] bytes, int offset, int length) {
            int end = offset + length;
            for (int i = offset; i < end && !broken; i++) {
                if (inflater != null) {
                    i = inflate(bytes, i, end) - 1;
                    continue;
                }
                if (streamStart > 0) {
                    // After the keyword "stream": its end of line, then the data.
                    int b = bytes[i] & 0xFF;
                    if (streamStart == 1 && b == '\r') {
                        streamStart = 2;
                        continue;
                    }
                    streamStart = 0;
                    if (b != '\n') {
                        i--;
                    }
                    inflater = new Inflater();
                    inner = new Scanner(false);
                    continue;
                }
                read(bytes[i] & 0xFF);
            }
        }

        void close() {
            if (inflater != null) {
                inflater.end();
                inflater = null;
            }
        }

        private int inflate(byte[] bytes, int from, int end) {
            inflater.setInput(bytes, from, end - from);
            byte[] out = new byte[16 * 1024];
            try {
                while (!inflater.finished() && !inflater.needsInput() && !broken) {
                    int n = inflater.inflate(out);
                    inflated += n;
                    if (inflated > MAX_INFLATED || n == 0 && inflater.needsDictionary()) {
                        broken = true;
                    }
                    inner.feed(out, 0, n);
                }
            } catch (DataFormatException notFlate) {
                broken = true;
            }
            if (!inflater.finished()) {
                return end;
            }
            int rest = inflater.getRemaining();
            inflater.end();
            inflater = null;
            inner = null;
            return end - rest;
        }

        private void read(int b) {
            if (inComment) {
                inComment = b != '\r' && b != '\n';
                return;
            }
            if (inName) {
                if (escape >= 0) {
                    int digit = Character.digit(b, 16);
                    if (digit < 0) {
                        endName();
                        read(b);
                        return;
                    }
                    if (escape == 0) {
                        escape = 16 + digit;
                    } else {
                        append((char) ((escape - 16) * 16 + digit));
                        escape = -1;
                    }
                    return;
                }
                if (b == '#') {
                    escape = 0;
                    return;
                }
                if (!delimiter(b) && !whitespace(b)) {
                    append((char) b);
                    return;
                }
                endName();
            }
            if (whitespace(b)) {
                endWord();
                return;
            }
            if (delimiter(b)) {
                endWord();
                if (b == '/') {
                    inName = true;
                    return;
                }
                previousName = null;
                inComment = b == '%';
                return;
            }
            append((char) b);
        }

        private void append(char c) {
            if (word.length() < MAX_WORD) {
                word.append(c);
            }
        }

        private void endName() {
            inName = false;
            escape = -1;
            String name = word.toString();
            word.setLength(0);
            if ("Page".equals(name) && "Type".equals(previousName)) {
                pages++;
            } else if ("ObjStm".equals(name) && outermost) {
                objectStreamNext = true;
            } else if ("Encrypt".equals(name)) {
                encrypted = true;
            }
            previousName = name;
        }

        private void endWord() {
            if (word.isEmpty()) {
                return;
            }
            String keyword = word.toString();
            word.setLength(0);
            if ("Count".equals(previousName) && keyword.chars().allMatch(Character::isDigit) && keyword.length() < 10) {
                statedPages = Math.max(statedPages, Long.parseLong(keyword));
            } else if ("stream".equals(keyword) && objectStreamNext) {
                objectStreamNext = false;
                streamStart = 1;
            } else if ("endobj".equals(keyword)) {
                objectStreamNext = false;
            }
            previousName = null;
        }

        private boolean whitespace(int b) {
            return b == ' ' || b == '\n' || b == '\r' || b == '\t' || b == '\f' || b == 0;
        }

        private boolean delimiter(int b) {
            return b == '/' || b == '%' || b == '(' || b == ')' || b == '<' || b == '>' || b == '[' || b == ']'
                    || b == '{' || b == '}';
        }
    }
}
