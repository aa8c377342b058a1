package dev.aiagg.axon.sample;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.slf4j.MDC;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * One row per note; it records the MDC correlation id seen while handling, to show the MDC is set. Tests can make
 * it fail: a notebook marked broken fails every note (until mended), a note {@code slow} waits until slow notes are
 * let through, and a note {@code touch:<event id>} first updates that note's row with a short lock timeout.
 */
@Component
@ProcessingGroup(NoteProjection.GROUP)
public class NoteProjection {

    public static final String GROUP = "sample-notes";
    public static final String SLOW = "slow";
    public static final String TOUCH = "touch:";

    private final JdbcTemplate jdbc;
    private final Set<String> brokenNotebooks = ConcurrentHashMap.newKeySet();
    private final AtomicInteger touchAttempts = new AtomicInteger();
    private volatile CountDownLatch slowNotes = new CountDownLatch(0);

    NoteProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(NoteAdded event, EventMessage<?> message) throws InterruptedException {
        if (brokenNotebooks.contains(event.notebookId())) {
            throw new IllegalStateException("notebook " + event.notebookId() + " is broken");
        }
        if (SLOW.equals(event.text())) {
            slowNotes.await(10, TimeUnit.SECONDS);
        }
        if (event.text().startsWith(TOUCH)) {
            touchAttempts.incrementAndGet();
            jdbc.execute("set local lock_timeout = '200ms'");
            jdbc.update("update sample_note set text = text where event_id = ?",
                    event.text().substring(TOUCH.length()));
        }
        jdbc.update("insert into sample_note (event_id, notebook_id, text, correlation_id) values (?, ?, ?, ?)",
                message.getIdentifier(), event.notebookId(), event.text(), MDC.get("correlationId"));
    }

    @ResetHandler
    void reset() {
        jdbc.update("delete from sample_note");
    }

    public void breakNotebook(String notebookId) {
        brokenNotebooks.add(notebookId);
    }

    public void mendNotebook(String notebookId) {
        brokenNotebooks.remove(notebookId);
    }

    public void holdSlowNotes() {
        slowNotes = new CountDownLatch(1);
    }

    public void releaseSlowNotes() {
        slowNotes.countDown();
    }

    public int touchAttempts() {
        return touchAttempts.get();
    }
}
