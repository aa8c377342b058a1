package dev.aiagg.proxy.translation;

/** Why an answer ended, in both dialects' words. */
enum FinishReason {
    STOP("stop", "end_turn"),
    STOP_SEQUENCE("stop", "stop_sequence"),
    LENGTH("length", "max_tokens"),
    TOOL_CALLS("tool_calls", "tool_use"),
    CONTENT_FILTER("content_filter", "refusal");

    private final String openAi;
    private final String anthropic;

    FinishReason(String openAi, String anthropic) {
        this.openAi = openAi;
        this.anthropic = anthropic;
    }

    String openAi() {
        return openAi;
    }

    String anthropic() {
        return anthropic;
    }

    static FinishReason fromOpenAi(String reason) {
        return switch (reason) {
            case "length" -> LENGTH;
            case "tool_calls", "function_call" -> TOOL_CALLS;
            case "content_filter" -> CONTENT_FILTER;
            default -> STOP;
        };
    }

    /** {@code pause_turn} and unknown reasons read as a plain stop. */
    static FinishReason fromAnthropic(String reason) {
        return switch (reason) {
            case "max_tokens" -> LENGTH;
            case "tool_use" -> TOOL_CALLS;
            case "stop_sequence" -> STOP_SEQUENCE;
            case "refusal" -> CONTENT_FILTER;
            default -> STOP;
        };
    }

    static FinishReason from(boolean anthropic, String reason) {
        return anthropic ? fromAnthropic(reason) : fromOpenAi(reason);
    }
}
