package dev.aiagg.axon.correlation;

import java.util.HashMap;
import java.util.Map;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.MDC;

/**
 * Puts the handled message's correlation keys into the MDC while its handler runs, so every log line carries them.
 * Afterwards the MDC is restored rather than cleared: a command handled on the caller's thread must leave the
 * caller's MDC as it found it, and a worker thread is left empty.
 */
public final class MetaDataToMdc<M extends Message<?>> implements MessageHandlerInterceptor<M> {

    @Override
    public Object handle(UnitOfWork<? extends M> unitOfWork, InterceptorChain chain) throws Exception {
        MetaData metaData = unitOfWork.getMessage().getMetaData();
        Map<String, String> previous = new HashMap<>();
        for (String key : CorrelationKeys.ALL) {
            Object value = metaData.get(key);
            if (value != null) {
                previous.put(key, MDC.get(key));
                MDC.put(key, value.toString());
            }
        }
        try {
            return chain.proceed();
        } finally {
            previous.forEach((key, value) -> {
                if (value == null) {
                    MDC.remove(key);
                } else {
                    MDC.put(key, value);
                }
            });
        }
    }
}
