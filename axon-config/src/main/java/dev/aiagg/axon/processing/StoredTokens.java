package dev.aiagg.axon.processing;

import java.util.HashMap;
import java.util.Map;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Reads the stored token of every segment of a processor without claiming it (the token store API can only read by
 * claiming, which would take a segment away from the node processing it).
 */
@Component
class StoredTokens {

    private final JdbcTemplate jdbc;
    private final Serializer serializer;

    StoredTokens(JdbcTemplate jdbc, @Qualifier("serializer") Serializer serializer) {
        this.jdbc = jdbc;
        this.serializer = serializer;
    }

    Map<Integer, TrackingToken> of(String processorName) {
        Map<Integer, TrackingToken> tokens = new HashMap<>();
        jdbc.query("select segment, token, token_type from token_entry where processor_name = ?",
                row -> {
                    byte[] token = row.getBytes("token");
                    String type = row.getString("token_type");
                    tokens.put(row.getInt("segment"), token == null || type == null ? null
                            : serializer.deserialize(new SimpleSerializedObject<>(token, byte[].class, type, null)));
                },
                processorName);
        return tokens;
    }
}
