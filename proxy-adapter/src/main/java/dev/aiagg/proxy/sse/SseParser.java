package dev.aiagg.proxy.sse;

import java.util.Optional;

/**
 * Turns the lines of a {@code text/event-stream} into events, one line at a time, as the lines arrive. Follows the
 * HTML event-stream rules: comments start with a colon, one optional space after the field's colon is dropped,
 * several data lines join with newlines, a blank line ends the event; {@code id} and {@code retry} are ignored.
 * Not thread-safe: one parser per stream.
 */
public final class SseParser {

    private String event;
    private StringBuilder data;

    /** Feeds one line without its terminator; returns the event this line completed, if any. */
    public Optional<SseEvent> line(String line) {
        if (line.isEmpty()) {
            return dispatch();
        }
        if (line.charAt(0) == ':') {
            return Optional.empty();
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        if (field.equals("data")) {
            if (data == null) {
                data = new StringBuilder(value);
            } else {
                data.append('\n').append(value);
            }
        } else if (field.equals("event")) {
            event = value;
        }
        return Optional.empty();
    }

    /** The end of the stream: an event whose blank line never came is still delivered. */
    public Optional<SseEvent> finish() {
        return dispatch();
    }

    private Optional<SseEvent> dispatch() {
        Optional<SseEvent> result = data == null ? Optional.empty() : Optional.of(new SseEvent(event, data.toString()));
        event = null;
        data = null;
        return result;
    }
}
