package dev.aiagg.proxy.translation;

import dev.aiagg.proxy.Usage;
import dev.aiagg.proxy.provider.UpstreamFailure;

/** What one upstream stream event said, whatever the dialect. */
sealed interface StreamPart {

    /** The answer began; {@code id} is the provider's. */
    record Start(String id) implements StreamPart {
    }

    record Text(String text) implements StreamPart {
    }

    /** {@code index} counts tool calls from 0, as OpenAI's deltas do. */
    record ToolStart(int index, String id, String name) implements StreamPart {
    }

    record ToolArguments(int index, String json) implements StreamPart {
    }

    record Finish(FinishReason reason) implements StreamPart {
    }

    /** @param complete true once the output count is final */
    record UsageReport(Usage usage, boolean hasInput, boolean complete) implements StreamPart {
    }

    record Failed(UpstreamFailure failure) implements StreamPart {
    }

    /** The provider said the stream is over ({@code [DONE]}, {@code message_stop}). */
    record End() implements StreamPart {
    }
}
