package dev.aiagg.query.company;

import dev.aiagg.api.company.CompanyList;
import dev.aiagg.api.company.CompanyRegistered;
import dev.aiagg.api.company.CompanyStatus;
import dev.aiagg.api.company.CompanySuspended;
import dev.aiagg.api.company.CompanyView;
import dev.aiagg.api.company.FindCompanies;
import dev.aiagg.api.company.FindCompany;
import dev.aiagg.api.company.FindCompanyByReferralCode;
import dev.aiagg.query.QueryDatabase;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.DefaultQueryGateway;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.queryhandling.SimpleQueryBus;
import org.axonframework.queryhandling.annotation.AnnotationQueryHandlerAdapter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The projection as Axon drives it: event messages with their sequence and timestamp, reset, query gateway. */
class CompanyProjectionMessagingTest {

    private static final Instant T0 = Instant.parse("2026-04-01T08:00:00Z");

    private final AnnotationEventHandlerAdapter handler =
            new AnnotationEventHandlerAdapter(new CompanyProjection(QueryDatabase.jdbc()));
    private QueryGateway queries;

    @BeforeEach
    void setUp() {
        SimpleQueryBus bus = SimpleQueryBus.builder().build();
        new AnnotationQueryHandlerAdapter<>(new CompanyProjection(QueryDatabase.jdbc())).subscribe(bus);
        queries = DefaultQueryGateway.builder().queryBus(bus).build();
        handler.prepareReset();
    }

    @Test
    void eventMessagesBuildTheModelThatQueriesAnswer() throws Exception {
        handler.handle(event("cmp_m", 0, new CompanyRegistered("cmp_m", "Messaging", "m@m.test", "own_m", "REF-M",
                null), T0));
        handler.handle(event("cmp_m", 1, new CompanySuspended("cmp_m", "unpaid", "op"), T0.plusSeconds(1)));

        Optional<CompanyView> found = queries.query(new FindCompany("cmp_m"),
                ResponseTypes.optionalInstanceOf(CompanyView.class)).join();
        assertThat(found).hasValueSatisfying(company -> {
            assertThat(company.registeredAt()).isEqualTo(T0);
            assertThat(company.status()).isEqualTo(CompanyStatus.SUSPENDED);
            assertThat(company.members()).hasSize(1);
        });
        assertThat(queries.query(new FindCompanyByReferralCode("REF-NONE"),
                ResponseTypes.optionalInstanceOf(CompanyView.class)).join()).isEmpty();
        assertThat(queries.query(new FindCompanies(0, 10), ResponseTypes.instanceOf(CompanyList.class)).join()
                .total()).isEqualTo(1);

        handler.prepareReset();
        assertThat(queries.query(new FindCompany("cmp_m"),
                ResponseTypes.optionalInstanceOf(CompanyView.class)).join()).isEmpty();
    }

    private static GenericDomainEventMessage<?> event(String companyId, long sequence, Object payload, Instant at) {
        return new GenericDomainEventMessage<>("Company", companyId, sequence, payload, MetaData.emptyInstance(),
                UUID.randomUUID().toString(), at);
    }
}
