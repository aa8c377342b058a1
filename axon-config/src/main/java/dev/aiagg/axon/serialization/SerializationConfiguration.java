package dev.aiagg.axon.serialization;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.axonframework.serialization.RevisionResolver;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * JSON for everything Axon stores or sends. The ObjectMapper is private on purpose: as a Spring bean it would make
 * Boot's web ObjectMapper back off, and web settings must never change the stored event format.
 */
@Configuration(proxyBeanMethods = false)
class SerializationConfiguration {

    private final ObjectMapper axonObjectMapper = axonObjectMapper();

    static ObjectMapper axonObjectMapper() {
        return JsonMapper.builder()
                .findAndAddModules()
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }

    @Bean
    @Primary
    Serializer serializer(RevisionResolver revisionResolver) {
        return jackson(revisionResolver);
    }

    @Bean
    @Qualifier("eventSerializer")
    Serializer eventSerializer(RevisionResolver revisionResolver) {
        return jackson(revisionResolver);
    }

    @Bean
    @Qualifier("messageSerializer")
    Serializer messageSerializer(RevisionResolver revisionResolver) {
        return jackson(revisionResolver);
    }

    private JacksonSerializer jackson(RevisionResolver revisionResolver) {
        return JacksonSerializer.builder()
                .objectMapper(axonObjectMapper)
                .revisionResolver(revisionResolver)
                .build();
    }
}
