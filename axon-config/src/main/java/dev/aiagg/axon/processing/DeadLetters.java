package dev.aiagg.axon.processing;

import dev.aiagg.api.NotFoundException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcDeadLetter;
import org.axonframework.messaging.deadletter.SequencedDeadLetterProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The dead letters of every processing group, for operators: listed straight from the table (no event is
 * deserialized), a sequence processed again through Axon's {@link SequencedDeadLetterProcessor} (isolated, see
 * {@link IsolatedRetries}), or evicted. An evicted letter's event is never applied: the read model stays without it
 * (and without the later events of its sequence that were queued behind it) until the group is replayed.
 */
public class DeadLetters {

    public static final int MAX_PAGE = 500;
    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final EventProcessingConfiguration processing;
    private final JdbcTemplate jdbc;
    private final DeadLetterSchema schema;

    DeadLetters(EventProcessingConfiguration processing, JdbcTemplate jdbc, DeadLetterSchema schema) {
        this.processing = processing;
        this.jdbc = jdbc;
        this.schema = schema;
    }

    /** Oldest first within each sequence; {@code group} null lists every group. */
    public Page list(String group, int offset, int limit) {
        if (group != null) {
            requireDeadLettered(group);
        }
        String where = group == null ? "" : " where " + schema.processingGroupColumn() + " = ?";
        Object[] groupArgument = group == null ? new Object[0] : new Object[] {group};
        List<Object> pageArguments = new ArrayList<>(List.of(groupArgument));
        pageArguments.add(Math.max(0, offset));
        pageArguments.add(Math.max(1, Math.min(MAX_PAGE, limit)));
        List<Letter> letters = jdbc.query("select " + String.join(", ",
                        schema.processingGroupColumn(), schema.sequenceIdentifierColumn(),
                        schema.sequenceIndexColumn(), schema.eventIdentifierColumn(), schema.payloadTypeColumn(),
                        schema.aggregateTypeColumn(), schema.aggregateIdentifierColumn(),
                        schema.sequenceNumberColumn(), schema.causeTypeColumn(), schema.causeMessageColumn(),
                        schema.enqueuedAtColumn(), schema.lastTouchedColumn())
                        + ", count(*) over (partition by " + schema.processingGroupColumn() + ", "
                        + schema.sequenceIdentifierColumn() + ") as letters_in_sequence"
                        + " from " + schema.deadLetterTable() + where
                        + " order by " + schema.processingGroupColumn() + ", " + schema.sequenceIdentifierColumn()
                        + ", " + schema.sequenceIndexColumn() + " offset ? limit ?",
                (row, index) -> letter(row), pageArguments.toArray());
        Long total = jdbc.queryForObject("select count(*) from " + schema.deadLetterTable() + where, Long.class,
                groupArgument);
        return new Page(letters, total == null ? 0 : total);
    }

    /**
     * Handles the sequence's letters again, in order, each in a savepoint; those that succeed are evicted, the first
     * that fails stays with its new cause and stops the rest.
     */
    public Retried retry(String group, String sequence) {
        requireDeadLettered(group);
        SequencedDeadLetterProcessor<EventMessage<?>> processor = processing.sequencedDeadLetterProcessor(group)
                .orElseThrow(() -> noQueue(group));
        requireLetters(group, sequence);
        boolean processed = processor.process(letter -> letter instanceof JdbcDeadLetter<?> stored
                && sequence.equals(stored.getSequenceIdentifier()));
        long remaining = letters(group, sequence);
        log.info("Dead letters of sequence {} in {} processed again: {}, {} left", sequence, group,
                processed && remaining == 0 ? "all handled" : "failed again", remaining);
        return new Retried(group, sequence, processed && remaining == 0, remaining);
    }

    /** Drops the sequence's letters for good; returns how many there were. */
    public long evict(String group, String sequence) {
        requireDeadLettered(group);
        int evicted = jdbc.update("delete from " + schema.deadLetterTable() + " where "
                + schema.processingGroupColumn() + " = ? and " + schema.sequenceIdentifierColumn() + " = ?",
                group, sequence);
        if (evicted == 0) {
            throw noLetters(group, sequence);
        }
        log.warn("Evicted {} dead letters of sequence {} from {}: the read model stays without their events",
                evicted, sequence, group);
        return evicted;
    }

    /** Asked for a queue by any name, Axon's configuration would make one: only processors' groups count. */
    private void requireDeadLettered(String group) {
        if (!processing.eventProcessors().containsKey(group) || processing.deadLetterQueue(group).isEmpty()) {
            throw noQueue(group);
        }
    }

    private void requireLetters(String group, String sequence) {
        if (letters(group, sequence) == 0) {
            throw noLetters(group, sequence);
        }
    }

    private long letters(String group, String sequence) {
        Long count = jdbc.queryForObject("select count(*) from " + schema.deadLetterTable() + " where "
                        + schema.processingGroupColumn() + " = ? and " + schema.sequenceIdentifierColumn() + " = ?",
                Long.class, group, sequence);
        return count == null ? 0 : count;
    }

    private Letter letter(ResultSet row) throws SQLException {
        return new Letter(row.getString(1), row.getString(2), row.getLong(3), row.getString(4), row.getString(5),
                row.getString(6), row.getString(7), row.getObject(8, Long.class), row.getString(9),
                row.getString(10), instant(row.getString(11)), instant(row.getString(12)),
                row.getLong("letters_in_sequence"));
    }

    private static Instant instant(String stored) {
        return stored == null ? null : DateTimeUtils.parseInstant(stored);
    }

    private static NotFoundException noQueue(String group) {
        return new NotFoundException("no processing group with dead letters named " + group);
    }

    private static NotFoundException noLetters(String group, String sequence) {
        return new NotFoundException("no dead letters of sequence " + sequence + " in " + group);
    }

    /**
     * One dead letter.
     *
     * @param sequenceIndex          its place in its sequence, from 0
     * @param eventType              the payload type of the event
     * @param aggregateSequenceNumber the event's sequence number in its aggregate
     * @param causeType              null for a letter queued behind an earlier one of its sequence
     * @param lettersInSequence      how many letters its sequence holds
     */
    public record Letter(String group, String sequenceIdentifier, long sequenceIndex, String eventId,
                         String eventType, String aggregateType, String aggregateId, Long aggregateSequenceNumber,
                         String causeType, String causeMessage, Instant enqueuedAt, Instant lastTouched,
                         long lettersInSequence) {
    }

    public record Page(List<Letter> letters, long total) {
    }

    /** @param succeeded every letter of the sequence was handled and evicted */
    public record Retried(String group, String sequenceIdentifier, boolean succeeded, long remaining) {
    }
}
