package dev.aiagg.query.account;

import dev.aiagg.api.account.AccountId;
import dev.aiagg.api.account.AccountOpened;
import dev.aiagg.api.account.BalanceAdjusted;
import dev.aiagg.api.account.BalanceView;
import dev.aiagg.api.account.ChargedAgainstHold;
import dev.aiagg.api.account.FindBalance;
import dev.aiagg.api.account.FundsReserved;
import dev.aiagg.api.account.ReservationExpired;
import dev.aiagg.api.account.ReservationReleased;
import dev.aiagg.api.account.ReservationSettled;
import dev.aiagg.api.account.TopUpCredited;
import dev.aiagg.query.QueryDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BalanceProjectionTest {

    private static final String COMPANY = "cmp_balance";
    private static final String ACCOUNT = AccountId.of(COMPANY);
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456Z");

    private final BalanceProjection projection = new BalanceProjection(QueryDatabase.jdbc());

    @BeforeEach
    void clean() {
        projection.reset();
    }

    @Test
    void aCompanyWithoutAnAccountHasZeroRoubles() {
        assertThat(projection.handle(new FindBalance("cmp_nobody")))
                .isEqualTo(new BalanceView("cmp_nobody", 0, 0, 0, "RUB"));
    }

    @Test
    void everyAccountEventSetsTheFiguresItCarries() {
        projection.on(new AccountOpened(ACCOUNT, COMPANY, "RUB", 0), 0, T0);
        assertThat(balance()).isEqualTo(view(0, 0));

        projection.on(new TopUpCredited(ACCOUNT, COMPANY, "pay_1", 100_000_000, 100_000_000), 1, at(1));
        assertThat(balance()).isEqualTo(view(100_000_000, 0));

        projection.on(new FundsReserved(ACCOUNT, COMPANY, "req_1", 30_000_000, at(60), 100_000_000, 30_000_000, null),
                2, at(2));
        assertThat(balance()).isEqualTo(view(100_000_000, 30_000_000));

        projection.on(new ReservationSettled(ACCOUNT, COMPANY, "req_1", 30_000_000, 20_000_000, 20_000_000, 0,
                "gpt-4o", 80_000_000, 0, null), 3, at(3));
        assertThat(balance()).isEqualTo(view(80_000_000, 0));

        projection.on(new FundsReserved(ACCOUNT, COMPANY, "req_2", 10_000_000, at(60), 80_000_000, 10_000_000, null),
                4, at(4));
        projection.on(new ReservationReleased(ACCOUNT, COMPANY, "req_2", 10_000_000, "upstream failed", 0), 5, at(5));
        assertThat(balance()).isEqualTo(view(80_000_000, 0));

        projection.on(new FundsReserved(ACCOUNT, COMPANY, "req_3", 5_000_000, at(60), 80_000_000, 5_000_000, null),
                6, at(6));
        assertThat(balance()).isEqualTo(view(80_000_000, 5_000_000));
        projection.on(new ReservationExpired(ACCOUNT, COMPANY, "req_3", 5_000_000, at(60), 0), 7, at(7));
        assertThat(balance()).isEqualTo(view(80_000_000, 0));

        projection.on(new BalanceAdjusted(ACCOUNT, COMPANY, "adj_1", -10_000_000, "goodwill reversal", "op",
                70_000_000), 8, at(8));
        projection.on(new FundsReserved(ACCOUNT, COMPANY, "req_4", 25_000_000, at(60), 70_000_000, 25_000_000, null),
                9, at(9));
        assertThat(balance()).isEqualTo(view(70_000_000, 25_000_000));

        projection.on(new ChargedAgainstHold(ACCOUNT, COMPANY, "req_4", "req_5", 4_000_000, 4_000_000, 4_000_000, 0,
                "gpt-4o", 66_000_000, 21_000_000, null), 10, at(10));
        assertThat(balance()).isEqualTo(view(66_000_000, 21_000_000));
    }

    @Test
    void aRedeliveredEventChangesNothing() {
        projection.on(new AccountOpened(ACCOUNT, COMPANY, "RUB", 0), 0, T0);
        TopUpCredited topUp = new TopUpCredited(ACCOUNT, COMPANY, "pay_1", 50_000_000, 50_000_000);
        FundsReserved reserved = new FundsReserved(ACCOUNT, COMPANY, "req_1", 20_000_000, at(60), 50_000_000,
                20_000_000, null);
        projection.on(topUp, 1, at(1));
        projection.on(reserved, 2, at(2));
        List<Map<String, Object>> before = rows();

        projection.on(new AccountOpened(ACCOUNT, COMPANY, "RUB", 0), 0, T0);
        projection.on(topUp, 1, at(1));
        projection.on(reserved, 2, at(2));

        assertThat(rows()).isEqualTo(before);
        assertThat(balance()).isEqualTo(view(50_000_000, 20_000_000));
    }

    @Test
    void resetEmptiesTheTableAndAReplayRebuildsIdenticalRows() {
        Runnable events = () -> {
            projection.on(new AccountOpened(ACCOUNT, COMPANY, "RUB", 0), 0, T0);
            projection.on(new TopUpCredited(ACCOUNT, COMPANY, "pay_1", 10_000_000, 10_000_000), 1, at(1));
            projection.on(new FundsReserved(ACCOUNT, COMPANY, "req_1", 4_000_000, at(60), 10_000_000, 4_000_000, null),
                    2, at(2));
            projection.on(new AccountOpened(AccountId.of("cmp_other"), "cmp_other", "RUB", 0), 0, at(3));
        };
        events.run();
        List<Map<String, Object>> built = rows();
        assertThat(built).hasSize(2);

        projection.reset();
        assertThat(rows()).isEmpty();
        assertThat(balance()).isEqualTo(view(0, 0));

        events.run();
        assertThat(rows()).isEqualTo(built);
    }

    private BalanceView balance() {
        return projection.handle(new FindBalance(COMPANY));
    }

    private static BalanceView view(long balance, long reserved) {
        return new BalanceView(COMPANY, balance, reserved, balance - reserved, "RUB");
    }

    private static Instant at(int seconds) {
        return T0.plusSeconds(seconds);
    }

    private static List<Map<String, Object>> rows() {
        return QueryDatabase.rows("account_balance", "company_id");
    }
}
