package dev.aiagg.proxy;

import com.knuddels.jtokkit.api.EncodingType;
import java.util.Locale;

/**
 * How one deployment's model bills its input, by its providers' published rules: the tokenizer that counts its text
 * (and whether it is the model's own), what an image costs and what a page of a PDF costs.
 *
 * @param encoding the tokenizer text is counted with: the model's own for OpenAI's models, else cl100k
 * @param own      true when {@code encoding} is the model's own tokenizer, so its count is the real one
 * @param vision   how its images are billed
 */
record TokenRule(EncodingType encoding, boolean own, Vision vision) {

    /** Anthropic's tool-use system prompt, the largest it documents (346 tokens, for tool choice auto or none). */
    static final int TOOL_USE_PROMPT = 346;
    /** The most text a PDF page counts as: Anthropic's published upper figure (1,500 to 3,000 tokens a page). */
    static final int PDF_PAGE_TEXT = 3_000;

    /** OpenAI's image rules: low detail costs the base, high detail the base plus every 512-pixel tile. */
    private static final Vision GPT_4O = Vision.tiles(85, 170);

    static TokenRule of(Deployment deployment) {
        String model = deployment.upstreamModel().toLowerCase(Locale.ROOT);
        String vendor = model.contains("/") ? model.substring(0, model.indexOf('/')) : "";
        String name = model.substring(model.lastIndexOf('/') + 1);
        return switch (deployment.provider()) {
            case "openai", "demo" -> openAi(name);
            case "anthropic" -> new TokenRule(EncodingType.CL100K_BASE, false, Vision.ANTHROPIC);
            default -> switch (vendor) {
                case "openai" -> openAi(name);
                case "anthropic" -> new TokenRule(EncodingType.CL100K_BASE, false, Vision.ANTHROPIC);
                default -> new TokenRule(EncodingType.CL100K_BASE, false, Vision.ANY);
            };
        };
    }

    /** Every OpenAI model since gpt-4o counts with o200k; gpt-4, gpt-3.5 and the embedding models with cl100k. */
    private static TokenRule openAi(String name) {
        boolean cl100k = name.startsWith("gpt-3.5") || name.startsWith("text-embedding")
                || name.startsWith("gpt-4") && !name.startsWith("gpt-4o") && !name.startsWith("gpt-4.");
        return new TokenRule(cl100k ? EncodingType.CL100K_BASE : EncodingType.O200K_BASE, true, openAiVision(name));
    }

    private static Vision openAiVision(String name) {
        if (name.startsWith("gpt-4o-mini")) {
            return Vision.tiles(2_833, 5_667);
        }
        if (name.startsWith("gpt-4.1-nano") || name.startsWith("gpt-5-nano")) {
            return Vision.patches(2.46);
        }
        if (name.startsWith("gpt-4.1-mini") || name.startsWith("gpt-5-mini")) {
            return Vision.patches(1.62);
        }
        if (name.startsWith("o4-mini")) {
            return Vision.patches(1.72);
        }
        return GPT_4O;
    }

    /** Tokens of a text whose tokenizer count (or bound, when it was not counted) is {@code counted}. */
    long text(long counted, boolean exact, TextShape shape, double foreignFactor) {
        if (own) {
            return exact ? counted : shape.bytes();
        }
        long bound = shape.bytes() + 1;
        if (!exact) {
            return bound;
        }
        return Math.min(bound, (long) Math.ceil(counted * foreignFactor) + shape.foreignExtra());
    }

    /** Tokens of an image of these dimensions; {@code low} is OpenAI's {@code detail: low}. */
    long image(long width, long height, boolean low) {
        return vision.tokens(width, height, low);
    }

    /** Tokens of an image that cannot be measured (a URL, a file id, an unreadable header): the largest billed. */
    long largestImage(boolean low) {
        return vision.largest(low);
    }

    /** A PDF page is its text and an image of the page. */
    long pdfPage() {
        return PDF_PAGE_TEXT + largestImage(false);
    }

    /** What tools add beyond their definitions: Anthropic's tool-use system prompt, for every model not OpenAI's. */
    long toolsOverhead() {
        return own ? 0 : TOOL_USE_PROMPT;
    }

    /**
     * Image billing: OpenAI's tiles (fit in 2048 × 2048, shortest side to 768, base + tile × 512-pixel tiles) or
     * patches (32-pixel patches, at most 1,536, times the model's multiplier), Anthropic's width × height / 750
     * (at most about 1,600 after its resizing), or for other vendors the larger of gpt-4o's and Anthropic's.
     */
    record Vision(Kind kind, int base, int tile, double multiplier) {

        enum Kind { TILES, PATCHES, ANTHROPIC, ANY }

        static final Vision ANTHROPIC = new Vision(Kind.ANTHROPIC, 0, 0, 0);
        static final Vision ANY = new Vision(Kind.ANY, 0, 0, 0);
        static final int MAX_PATCHES = 1_536;
        static final int ANTHROPIC_MAX = 1_600;
        /** A tile model's largest image: 2048 × 768 after resizing, 4 × 2 tiles. */
        static final int MAX_TILES = 8;

        static Vision tiles(int base, int tile) {
            return new Vision(Kind.TILES, base, tile, 0);
        }

        static Vision patches(double multiplier) {
            return new Vision(Kind.PATCHES, 0, 0, multiplier);
        }

        long tokens(long width, long height, boolean low) {
            return switch (kind) {
                case TILES -> low ? base : base + (long) tile * tiles(width, height);
                case PATCHES -> (long) Math.ceil(Math.min(MAX_PATCHES, ceil(width, 32) * ceil(height, 32)) * multiplier);
                case ANTHROPIC -> anthropic(width, height);
                case ANY -> Math.max(GPT_4O.tokens(width, height, low), anthropic(width, height));
            };
        }

        long largest(boolean low) {
            return switch (kind) {
                case TILES -> low ? base : base + (long) tile * MAX_TILES;
                case PATCHES -> (long) Math.ceil(MAX_PATCHES * multiplier);
                case ANTHROPIC -> ANTHROPIC_MAX;
                case ANY -> Math.max(GPT_4O.largest(low), ANTHROPIC_MAX);
            };
        }

        private static long tiles(long width, long height) {
            double w = width;
            double h = height;
            double fit = Math.min(1, 2048 / Math.max(w, h));
            w *= fit;
            h *= fit;
            double shortest = Math.min(1, 768 / Math.min(w, h));
            w *= shortest;
            h *= shortest;
            return Math.min(MAX_TILES, (long) (Math.ceil(w / 512) * Math.ceil(h / 512)));
        }

        private static long anthropic(long width, long height) {
            return Math.min(ANTHROPIC_MAX, ceil(width * height, 750));
        }

        private static long ceil(long value, long by) {
            return (value + by - 1) / by;
        }
    }
}
