package dev.aiagg.axon.processing;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.axonframework.config.Configurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.micrometer.EventProcessorLatencyMonitor;
import org.axonframework.micrometer.MessageCountingMonitor;
import org.axonframework.micrometer.TagsUtil;
import org.axonframework.messaging.Message;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.MultiMessageMonitor;

/**
 * Event processors count the events they handle, ignore and fail ({@code eventProcessor.ingestedCounter},
 * {@code .successCounter}, {@code .failureCounter}, {@code .ignoredCounter}) and report their lag
 * ({@code eventProcessor.latency}), tagged with the processor's name. Axon's default set adds timers and a capacity
 * histogram per payload type, which update several meters for every event every processor reads (each processor
 * reads every event): a sixth of the event processing time. Command and query buses keep Axon's dimensional timers.
 */
class ProcessorMetrics implements ConfigurerModule {

    private static final String METRICS_NAME = "eventProcessor";

    private final MeterRegistry registry;
    // Axon asks for a processor's monitor more than once; a second one would register its lag gauge in vain.
    private final Map<String, MessageMonitor<Message<?>>> monitors = new ConcurrentHashMap<>();

    ProcessorMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void configureModule(Configurer configurer) {
        configurer.configureMessageMonitor(EventProcessor.class, (config, componentType, processorName) ->
                monitors.computeIfAbsent(processorName, this::monitor));
    }

    private MessageMonitor<Message<?>> monitor(String processorName) {
        Tags processor = Tags.of(TagsUtil.PROCESSOR_NAME_TAG, processorName);
        List<MessageMonitor<? super EventMessage<?>>> parts = List.of(
                MessageCountingMonitor.buildMonitor(METRICS_NAME, registry, message -> processor),
                EventProcessorLatencyMonitor.builder()
                        .meterNamePrefix(METRICS_NAME)
                        .meterRegistry(registry)
                        .tagsBuilder(message -> processor)
                        .build());
        // Axon's factories are typed for any message; an event processor only ever passes events.
        @SuppressWarnings("unchecked")
        MessageMonitor<Message<?>> monitor = (MessageMonitor<Message<?>>) (MessageMonitor<?>)
                new MultiMessageMonitor<>(parts);
        return monitor;
    }
}
