package dev.aiagg.axon.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.aiagg.api.NotFoundException;
import dev.aiagg.axon.AxonIntegrationTest;
import dev.aiagg.axon.publication.RabbitMqPublication;
import dev.aiagg.axon.sample.NoteAdded;
import dev.aiagg.axon.sample.NoteProjection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * One event that its handler cannot handle goes to the dead-letter queue of its sequence while the rest of the group
 * goes on; a transient failure is retried instead; operators list, retry and evict; the monitor tells whether a read
 * model may be trusted.
 */
class DeadLetteringTest extends AxonIntegrationTest {

    @Autowired
    EventStore eventStore;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DataSource dataSource;
    @Autowired
    DeadLetters deadLetters;
    @Autowired
    NoteProjection notes;
    @Autowired
    ReadModelMonitor monitor;
    @Autowired
    ProcessorControl processors;
    @Autowired
    MeterRegistry registry;

    @Test
    void anEventItsHandlerCannotWriteIsDeadLetteredAndTheRestOfItsBatchCommits() {
        String good = notebook();
        String poisoned = notebook();
        String other = notebook();
        double enqueuedBefore = enqueued();

        // One append, so one batch of the processor: the NUL fails the batch, the retry isolates it.
        eventStore.publish(List.of(
                note(good, 0, "first"),
                note(poisoned, 0, "a NUL \u0000 PostgreSQL refuses in text"),
                note(other, 0, "unrelated"),
                note(poisoned, 1, "queued behind"),
                note(good, 1, "second")));

        await().atMost(Duration.ofSeconds(20)).until(() -> letters(poisoned).size() == 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> rows(good) == 2 && rows(other) == 1);
        assertThat(rows(poisoned)).isZero();
        List<DeadLetters.Letter> letters = letters(poisoned);
        assertThat(letters.get(0).causeType()).isNotNull();
        assertThat(letters.get(0).causeMessage()).contains("0x00");
        assertThat(letters.get(0).eventType()).isEqualTo(NoteAdded.class.getName());
        assertThat(letters.get(0).aggregateId()).isEqualTo(poisoned);
        assertThat(letters.get(0).aggregateSequenceNumber()).isZero();
        assertThat(letters.get(0).lettersInSequence()).isEqualTo(2);
        assertThat(letters.get(1).causeType()).as("queued behind, no cause of its own").isNull();
        assertThat(letters.get(1).aggregateSequenceNumber()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> enqueued() - enqueuedBefore == 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> registry.get(ReadModelMonitor.LETTERS_METRIC)
                .tag("group", NoteProjection.GROUP).gauge().value() >= 2);

        // A later event of the sequence queues behind, in a plain batch now.
        eventStore.publish(note(poisoned, 2, "still behind"));
        await().atMost(Duration.ofSeconds(10)).until(() -> letters(poisoned).size() == 3);

        DeadLetters.Retried retried = deadLetters.retry(NoteProjection.GROUP, poisoned);
        assertThat(retried.succeeded()).isFalse();
        assertThat(retried.remaining()).isEqualTo(3);
        List<DeadLetters.Letter> afterRetry = letters(poisoned);
        assertThat(afterRetry.get(0).lastTouched()).isAfter(letters.get(0).lastTouched());
        assertThat(afterRetry.get(0).causeType()).isEqualTo(letters.get(0).causeType());

        assertThat(deadLetters.evict(NoteProjection.GROUP, poisoned)).isEqualTo(3);
        assertThat(letters(poisoned)).isEmpty();
        eventStore.publish(note(poisoned, 3, "after the eviction"));
        await().atMost(Duration.ofSeconds(10)).until(() -> rows(poisoned) == 1);
    }

    @Test
    void aLetterRetriedAfterItsCauseIsMendedIsHandledAndLeavesTheQueue() {
        String notebook = notebook();
        notes.breakNotebook(notebook);
        try {
            eventStore.publish(List.of(note(notebook, 0, "one"), note(notebook, 1, "two")));
            await().atMost(Duration.ofSeconds(20)).until(() -> letters(notebook).size() == 2);
            assertThat(letters(notebook).get(0).causeMessage()).isEqualTo("notebook " + notebook + " is broken");

            assertThat(deadLetters.retry(NoteProjection.GROUP, notebook).succeeded()).isFalse();
            assertThat(letters(notebook)).hasSize(2);
        } finally {
            notes.mendNotebook(notebook);
        }

        DeadLetters.Retried retried = deadLetters.retry(NoteProjection.GROUP, notebook);

        assertThat(retried.succeeded()).isTrue();
        assertThat(retried.remaining()).isZero();
        assertThat(letters(notebook)).isEmpty();
        assertThat(rows(notebook)).isEqualTo(2);
    }

    /** A lock timeout from PostgreSQL while a test transaction holds the row: retried, never dead-lettered. */
    @Test
    void aTransientFailureIsRetriedNotDeadLettered() throws Exception {
        String notebook = notebook();
        GenericDomainEventMessage<NoteAdded> target = note(notebook, 0, "to be locked");
        eventStore.publish(target);
        await().atMost(Duration.ofSeconds(10)).until(() -> rows(notebook) == 1);
        int attemptsBefore = notes.touchAttempts();

        try (Connection locker = DriverManager.getConnection(url(), "postgres", "")) {
            locker.setAutoCommit(false);
            try (PreparedStatement lock = locker.prepareStatement(
                    "select * from sample_note where event_id = ? for update")) {
                lock.setString(1, target.getIdentifier());
                lock.executeQuery();
            }
            eventStore.publish(note(notebook, 1, NoteProjection.TOUCH + target.getIdentifier()));
            await().atMost(Duration.ofSeconds(10)).until(() -> notes.touchAttempts() - attemptsBefore >= 2);
            assertThat(rows(notebook)).isEqualTo(1);
            assertThat(letters(notebook)).isEmpty();
            locker.rollback();
        }

        await().atMost(Duration.ofSeconds(20)).until(() -> rows(notebook) == 2);
        assertThat(letters(notebook)).isEmpty();
    }

    @Test
    void theMonitorTellsWhetherAReadModelIsCurrentAndWhichSequencesAreDeadLettered() {
        ReadModelWatch watch = monitor.watch(NoteProjection.GROUP, Duration.ofMillis(500));
        await().atMost(Duration.ofSeconds(10)).until(watch::current);

        String notebook = notebook();
        notes.holdSlowNotes();
        try {
            eventStore.publish(note(notebook, 0, NoteProjection.SLOW));
            await().atMost(Duration.ofSeconds(5)).until(() -> !watch.current());
            assertThat(watch.whyNotCurrent()).contains("behind");
        } finally {
            notes.releaseSlowNotes();
        }
        await().atMost(Duration.ofSeconds(10)).until(watch::current);

        processors.pause(NoteProjection.GROUP);
        try {
            await().atMost(Duration.ofSeconds(2)).until(() -> !watch.current());
            assertThat(watch.whyNotCurrent()).contains("not running");
        } finally {
            processors.resume(NoteProjection.GROUP);
        }
        await().atMost(Duration.ofSeconds(10)).until(watch::current);

        notes.breakNotebook(notebook);
        try {
            eventStore.publish(note(notebook, 1, "broken"));
            await().atMost(Duration.ofSeconds(20)).until(() -> watch.deadLettered(notebook) && watch.current());
        } finally {
            notes.mendNotebook(notebook);
        }
        assertThat(deadLetters.retry(NoteProjection.GROUP, notebook).succeeded()).isTrue();
        await().atMost(Duration.ofSeconds(2)).until(() -> !watch.deadLettered(notebook));
    }

    @Test
    void unknownGroupsAndSequencesAreNotFoundAndThePublicationHasNoDeadLetters() {
        assertThatThrownBy(() -> deadLetters.list("no-such-group", 0, 10)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> deadLetters.retry(RabbitMqPublication.PROCESSING_GROUP, "x"))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> deadLetters.retry(NoteProjection.GROUP, "no-such-sequence"))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> deadLetters.evict(NoteProjection.GROUP, "no-such-sequence"))
                .isInstanceOf(NotFoundException.class);
    }

    private List<DeadLetters.Letter> letters(String notebook) {
        return deadLetters.list(NoteProjection.GROUP, 0, DeadLetters.MAX_PAGE).letters().stream()
                .filter(letter -> letter.sequenceIdentifier().equals(notebook))
                .toList();
    }

    private long rows(String notebook) {
        return jdbc.queryForObject("select count(*) from sample_note where notebook_id = ?", Long.class, notebook);
    }

    private double enqueued() {
        Counter counter = registry.find(DeadLettering.ENQUEUED_METRIC).tag("group", NoteProjection.GROUP).counter();
        return counter == null ? 0 : counter.count();
    }

    private String url() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getMetaData().getURL();
        }
    }

    private static String notebook() {
        return "notebook-" + UUID.randomUUID();
    }

    private static GenericDomainEventMessage<NoteAdded> note(String notebook, long sequence, String text) {
        return new GenericDomainEventMessage<>("Notebook", notebook, sequence,
                new NoteAdded(notebook, text, Instant.now()));
    }
}
