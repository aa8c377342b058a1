package dev.aiagg.gateway.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aiagg.proxy.Dialect;
import dev.aiagg.proxy.Usage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Exact-match answers for repeated deterministic requests: non-streaming, {@code temperature} 0, and asked for with
 * {@code x-aiagg-cache: true} or by the key's {@code responseCache} setting (which {@code x-aiagg-cache: false} turns
 * off for one request). The key is a hash of the company, the model and the whole request with its keys sorted, so
 * the same question in another key order still hits, while another company's identical request never does (it
 * would learn what was asked, and be served for free).
 */
abstract class ResponseCache {

    static final String HEADER = "x-aiagg-cache";

    /** A stored answer and the usage it was charged for the first time. */
    record Entry(ObjectNode body, Usage usage) {
    }

    private final ObjectMapper canonical;

    ResponseCache(ObjectMapper json) {
        this.canonical = json.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    }

    /** @param keyOptedIn the key's own setting, which stands in for the header on every request */
    static boolean applies(String header, boolean keyOptedIn, boolean stream, ObjectNode request) {
        JsonNode temperature = request.get("temperature");
        boolean optedIn = keyOptedIn ? !"false".equalsIgnoreCase(header) : "true".equalsIgnoreCase(header);
        return optedIn && !stream && temperature != null && temperature.isNumber() && temperature.asDouble() == 0.0;
    }

    abstract Optional<Entry> find(String key);

    abstract void keep(String key, Entry entry);

    String key(String companyId, String modelId, Dialect dialect, ObjectNode request) {
        try {
            Object sorted = canonical.treeToValue(request, Object.class);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    (companyId + "\n" + modelId + "\n" + dialect + "\n" + canonical.writeValueAsString(sorted))
                            .getBytes(StandardCharsets.UTF_8));
            return "aiagg:response-cache:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
