package dev.aiagg.axon.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import dev.aiagg.api.account.FundsReserved;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.axonframework.serialization.AnnotationRevisionResolver;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.junit.jupiter.api.Test;

class SerializationTest {

    private final Serializer serializer =
            new SerializationConfiguration().eventSerializer(new AnnotationRevisionResolver());

    @Test
    void aRecordWithAnInstantRoundTripsAsReadableJson() {
        FundsReserved event = new FundsReserved("acct_c1", "c1", "r1", 1_500L,
                Instant.parse("2026-01-02T03:04:05.123456Z"), 10_000L, 1_500L, null);

        SerializedObject<byte[]> serialized = serializer.serialize(event, byte[].class);
        FundsReserved back = serializer.deserialize(serialized);

        assertThat(back).isEqualTo(event);
        assertThat(new String(serialized.getData(), StandardCharsets.UTF_8))
                .contains("\"expiresAt\":\"2026-01-02T03:04:05.123456Z\"");
    }

    @Test
    void anEventWrittenWithAFieldThatNoLongerExistsStillReads() {
        byte[] json = ("{\"accountId\":\"acct_c1\",\"companyId\":\"c1\",\"requestId\":\"r1\",\"amountMicros\":1,"
                + "\"expiresAt\":\"2026-01-02T03:04:05Z\",\"balanceMicros\":2,\"reservedAfterMicros\":1,"
                + "\"retiredField\":true}").getBytes(StandardCharsets.UTF_8);

        FundsReserved event = serializer.deserialize(
                new SimpleSerializedObject<>(json, byte[].class, FundsReserved.class.getName(), null));

        assertThat(event.expiresAt()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
        assertThat(event.extendableUntil()).as("written before holds had leases").isNull();
    }

    @Test
    void aLeasedHoldRoundTripsWithItsLatestExpiry() {
        FundsReserved event = new FundsReserved("acct_c1", "c1", "r1", 1_500L, Instant.parse("2026-01-02T03:04:05Z"),
                10_000L, 1_500L, null, Instant.parse("2026-01-02T03:19:05Z"));

        FundsReserved back = serializer.deserialize(serializer.serialize(event, byte[].class));

        assertThat(back).isEqualTo(event);
    }
}
