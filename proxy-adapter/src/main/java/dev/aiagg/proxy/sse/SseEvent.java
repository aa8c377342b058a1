package dev.aiagg.proxy.sse;

/**
 * One server-sent event.
 *
 * @param event the {@code event:} field, or null when the event had none
 * @param data  the {@code data:} lines joined with newlines
 */
public record SseEvent(String event, String data) {

    /** The event framed for the wire, blank-line terminator included. */
    public String frame() {
        StringBuilder out = new StringBuilder(data.length() + 32);
        if (event != null) {
            out.append("event: ").append(event).append('\n');
        }
        for (String line : data.split("\n", -1)) {
            out.append("data: ").append(line).append('\n');
        }
        return out.append('\n').toString();
    }

    public static String frame(String event, String data) {
        return new SseEvent(event, data).frame();
    }

    public static String frame(String data) {
        return new SseEvent(null, data).frame();
    }
}
