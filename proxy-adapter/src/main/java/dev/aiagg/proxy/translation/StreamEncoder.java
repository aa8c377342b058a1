package dev.aiagg.proxy.translation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aiagg.proxy.ProviderException;
import dev.aiagg.proxy.Usage;
import java.util.List;

/** Writes the client's stream, event by event, in the client's dialect. */
interface StreamEncoder {

    /** Frames for one upstream event ({@code event} is its JSON, null for {@code [DONE]}). */
    List<String> encode(JsonNode event, List<StreamPart> parts);

    /** The frames that end a stream the provider finished. */
    List<String> closing(Usage usage);

    /** The frame telling the client that the provider failed mid-stream. */
    String error(ProviderException error);
}
