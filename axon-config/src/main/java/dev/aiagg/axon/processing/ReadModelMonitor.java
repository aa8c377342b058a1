package dev.aiagg.axon.processing;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.axonframework.common.AxonThreadFactory;
import org.axonframework.common.DateTimeUtils;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Looks, every {@code aiagg.axon.processing.monitor-interval}, at how far behind the watched read models are and which
 * of their sequences are dead-lettered, so that a decision taken on every request (admitting an API key) can tell
 * from memory whether it may trust its read model. One look is one query for the oldest event a watched processor
 * has not handled yet and one for the dead letters of every group; it also keeps the gauge {@code aiagg.dead-letters}
 * (letters per group).
 * <p>
 * Segments claimed here are judged by their position in memory. A segment claimed by another node is trusted while
 * that node holds its claim (it renews the claim every few seconds); its position is not known here.
 */
public class ReadModelMonitor implements SmartLifecycle {

    static final String LETTERS_METRIC = "aiagg.dead-letters";
    private static final Logger log = LoggerFactory.getLogger(ReadModelMonitor.class);
    private static final String FIRST_UNHANDLED = """
            select time_stamp from domain_event_entry where global_index > ? order by global_index limit 1
            """;

    private final EventProcessingConfiguration processing;
    private final JdbcTemplate jdbc;
    private final MeterRegistry registry;
    private final Duration interval;
    private final Duration claimTimeout;
    private final String lettersQuery;
    private final List<ReadModelWatch> watches = new CopyOnWriteArrayList<>();
    private final Map<String, Long> lettersPerGroup = new ConcurrentHashMap<>();
    private final Set<String> gauged = ConcurrentHashMap.newKeySet();
    private volatile ScheduledExecutorService ticker;

    ReadModelMonitor(EventProcessingConfiguration processing, JdbcTemplate jdbc, DeadLetterSchema schema,
                     MeterRegistry registry, Duration interval, Duration claimTimeout) {
        this.processing = processing;
        this.jdbc = jdbc;
        this.registry = registry;
        this.interval = interval;
        this.claimTimeout = claimTimeout;
        this.lettersQuery = "select " + schema.processingGroupColumn() + ", " + schema.sequenceIdentifierColumn()
                + ", count(*) from " + schema.deadLetterTable()
                + " group by " + schema.processingGroupColumn() + ", " + schema.sequenceIdentifierColumn();
    }

    /** Starts watching a read model by the name of its processing group (which names its processor too). */
    public ReadModelWatch watch(String processingGroup, Duration maxLag) {
        ReadModelWatch watch = new ReadModelWatch(processingGroup, maxLag);
        watches.add(watch);
        return watch;
    }

    void look() {
        try {
            // Positions first, dead letters after: a batch that moved a position past an event it dead-lettered
            // has committed that letter too.
            Map<ReadModelWatch, String> reasons = new HashMap<>();
            for (ReadModelWatch watch : watches) {
                String reason = whyNotCurrent(watch);
                if (reason != null) {
                    reasons.put(watch, reason);
                }
            }
            Map<String, Map<String, Long>> letters = letters();
            long now = System.nanoTime();
            for (ReadModelWatch watch : watches) {
                Map<String, Long> sequences = letters.getOrDefault(watch.processingGroup(), Map.of());
                watch.update(!reasons.containsKey(watch), reasons.get(watch), sequences.keySet(), now);
            }
            keepGauges(letters);
        } catch (RuntimeException e) {
            long now = System.nanoTime();
            String reason = "its state cannot be read: " + e.getMessage();
            watches.forEach(watch -> watch.update(false, reason, Set.of(), now));
            log.debug("Cannot look at the read models", e);
        }
    }

    private String whyNotCurrent(ReadModelWatch watch) {
        StreamingEventProcessor processor = processing
                .eventProcessor(watch.processingGroup(), StreamingEventProcessor.class).orElse(null);
        if (processor == null || !processor.isRunning()) {
            return "its processor is not running on this node";
        }
        if (processor.isError()) {
            return "its processor has failed and is retrying";
        }
        Map<Integer, EventTrackerStatus> claimed = processor.processingStatus();
        double covered = 0;
        long lowest = Long.MAX_VALUE;
        for (EventTrackerStatus segment : claimed.values()) {
            covered += 1.0 / (segment.getSegment().getMask() + 1);
            lowest = Math.min(lowest, segment.getCurrentPosition().orElse(-1));
        }
        // Segments split the stream by mask; together they cover it when their shares add up to one.
        if (covered < 0.999) {
            String unclaimed = unclaimedSegment(watch.processingGroup(), claimed.keySet());
            if (unclaimed != null) {
                return unclaimed;
            }
        }
        if (lowest == Long.MAX_VALUE) {
            return null;
        }
        List<String> firstUnhandled = jdbc.queryForList(FIRST_UNHANDLED, String.class, lowest);
        if (firstUnhandled.isEmpty()) {
            return null;
        }
        Duration lag = Duration.between(DateTimeUtils.parseInstant(firstUnhandled.get(0)), Instant.now());
        return lag.compareTo(watch.maxLag()) > 0
                ? "its processor is " + lag.toMillis() + " ms behind" : null;
    }

    /** Segments nobody processes: not claimed here and not held by a live claim of another node. */
    private String unclaimedSegment(String processorName, Set<Integer> claimedHere) {
        Instant liveSince = Instant.now().minus(claimTimeout);
        List<StoredSegment> segments = jdbc.query(
                "select segment, owner, timestamp from token_entry where processor_name = ?",
                (row, index) -> {
                    String timestamp = row.getString("timestamp");
                    return new StoredSegment(row.getInt("segment"), row.getString("owner") != null
                            && timestamp != null && DateTimeUtils.parseInstant(timestamp).isAfter(liveSince));
                },
                processorName);
        if (segments.isEmpty()) {
            return "its processor has not claimed a segment yet";
        }
        List<String> unclaimed = segments.stream()
                .filter(segment -> !claimedHere.contains(segment.segment()) && !segment.held())
                .map(segment -> Integer.toString(segment.segment()))
                .toList();
        return unclaimed.isEmpty() ? null : "its processor is not processing segment " + String.join(", ", unclaimed);
    }

    private Map<String, Map<String, Long>> letters() {
        Map<String, Map<String, Long>> letters = new HashMap<>();
        jdbc.query(lettersQuery, row -> {
            letters.computeIfAbsent(row.getString(1), group -> new HashMap<>()).put(row.getString(2), row.getLong(3));
        });
        return letters;
    }

    /** One gauge per processing group with a dead-letter queue, registered once the processors exist. */
    private void keepGauges(Map<String, Map<String, Long>> letters) {
        for (String group : processing.eventProcessors().keySet()) {
            if (!gauged.contains(group) && processing.deadLetterQueue(group).isPresent()) {
                Gauge.builder(LETTERS_METRIC, lettersPerGroup, counts -> counts.getOrDefault(group, 0L))
                        .description("Events waiting in the dead-letter queue of a processing group")
                        .tag("group", group)
                        .register(registry);
                gauged.add(group);
            }
        }
        for (String group : gauged) {
            lettersPerGroup.put(group, letters.getOrDefault(group, Map.of()).values().stream()
                    .mapToLong(Long::longValue).sum());
        }
    }

    @Override
    public void start() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
                new AxonThreadFactory("read-model-monitor"));
        executor.scheduleWithFixedDelay(this::look, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        ticker = executor;
    }

    @Override
    public void stop() {
        ScheduledExecutorService executor = ticker;
        ticker = null;
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return ticker != null;
    }

    private record StoredSegment(int segment, boolean held) {
    }
}
