package dev.aiagg.proxy.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

    private final SseParser parser = new SseParser();

    private List<SseEvent> feed(String... lines) {
        List<SseEvent> events = new ArrayList<>();
        for (String line : lines) {
            parser.line(line).ifPresent(events::add);
        }
        parser.finish().ifPresent(events::add);
        return events;
    }

    @Test
    void dataOnlyEventsEndAtBlankLines() {
        assertThat(feed("data: {\"a\":1}", "", "data: [DONE]", ""))
                .containsExactly(new SseEvent(null, "{\"a\":1}"), new SseEvent(null, "[DONE]"));
    }

    @Test
    void namedEventsKeepTheirName() {
        assertThat(feed("event: message_start", "data: {\"type\":\"message_start\"}", ""))
                .containsExactly(new SseEvent("message_start", "{\"type\":\"message_start\"}"));
    }

    @Test
    void severalDataLinesJoinWithNewlines() {
        assertThat(feed("data: first", "data:second", "data:  third", ""))
                .containsExactly(new SseEvent(null, "first\nsecond\n third"));
    }

    @Test
    void commentsAndUnknownFieldsAreIgnored() {
        assertThat(feed(": OPENROUTER PROCESSING", "", "id: 7", "retry: 100", "data: x", ""))
                .containsExactly(new SseEvent(null, "x"));
    }

    @Test
    void anEventWithoutItsBlankLineIsDeliveredAtTheEnd() {
        assertThat(feed("data: tail")).containsExactly(new SseEvent(null, "tail"));
    }

    @Test
    void blankLinesWithoutDataProduceNothing() {
        assertThat(feed("", "", "event: ping", "")).isEmpty();
    }

    @Test
    void framesRoundTrip() {
        String frame = SseEvent.frame("error", "a\nb");
        assertThat(frame).isEqualTo("event: error\ndata: a\ndata: b\n\n");
        assertThat(feed(frame.split("\n", -1))).containsExactly(new SseEvent("error", "a\nb"));
    }
}
