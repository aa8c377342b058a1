package dev.aiagg.axon.correlation;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.slf4j.MDC;

/**
 * Copies the caller's correlation keys from the MDC into the metadata of each dispatched message, unless the
 * message already carries them (a value set explicitly, or one propagated from the message being handled).
 */
final class MdcToMetaData<M extends Message<?>> implements MessageDispatchInterceptor<M> {

    @Override
    @SuppressWarnings("unchecked")
    public BiFunction<Integer, M, M> handle(List<? extends M> messages) {
        return (index, message) -> {
            Map<String, String> missing = new HashMap<>();
            for (String key : CorrelationKeys.ALL) {
                String value = MDC.get(key);
                if (value != null && !message.getMetaData().containsKey(key)) {
                    missing.put(key, value);
                }
            }
            return missing.isEmpty() ? message : (M) message.andMetaData(missing);
        };
    }
}
