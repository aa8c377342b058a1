package dev.aiagg.query.account;

import dev.aiagg.api.account.AccountId;
import dev.aiagg.api.account.BalanceAdjusted;
import dev.aiagg.api.account.ChargedAgainstHold;
import dev.aiagg.api.account.FindStatement;
import dev.aiagg.api.account.ReservationSettled;
import dev.aiagg.api.account.StatementEntry;
import dev.aiagg.api.account.StatementEntryType;
import dev.aiagg.api.account.StatementPage;
import dev.aiagg.api.account.TopUpCredited;
import dev.aiagg.query.QueryDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static dev.aiagg.api.account.StatementEntryType.ADJUSTMENT;
import static dev.aiagg.api.account.StatementEntryType.CHARGE;
import static dev.aiagg.api.account.StatementEntryType.TOP_UP;
import static org.assertj.core.api.Assertions.assertThat;

class StatementProjectionTest {

    private static final String COMPANY = "cmp_statement";
    private static final String ACCOUNT = AccountId.of(COMPANY);
    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

    private final StatementProjection projection = new StatementProjection(QueryDatabase.jdbc());

    @BeforeEach
    void clean() {
        projection.reset();
    }

    @Test
    void topUpsChargesAndAdjustmentsBecomeEntriesWithTheRunningBalance() {
        ledger();

        assertThat(page(null, null, null, null, 100).entries()).containsExactly(
                new StatementEntry(1, day(0), TOP_UP, "pay_1", 100_000_000, 100_000_000, null),
                new StatementEntry(3, day(1), CHARGE, "req_1", -1_500, 99_998_500, "gpt-4o-mini 120 in / 40 out"),
                new StatementEntry(4, day(2), ADJUSTMENT, "adj_1", -8_500, 99_990_000, "rounding correction"),
                new StatementEntry(6, day(3), CHARGE, "req_2", -2_990_000, 97_000_000, "claude-sonnet"),
                new StatementEntry(7, day(4), TOP_UP, "pay_2", 3_000_000, 100_000_000, null));
    }

    @Test
    void eachCallChargedAgainstAHoldIsAnEntryOfItsOwn() {
        projection.on(new TopUpCredited(ACCOUNT, COMPANY, "pay_1", 100_000, 100_000), 1, day(0));
        projection.on(new ChargedAgainstHold(ACCOUNT, COMPANY, "hold_1", "req_1", 2_000, 2_000, 2_000, 0, "m via a",
                98_000, 8_000, null), 3, day(1));
        projection.on(new ChargedAgainstHold(ACCOUNT, COMPANY, "hold_1", "req_2", 12_000, 8_000, 11_000, 1_000,
                "m via b", 87_000, 0, null), 4, day(1));

        assertThat(page(null, null, CHARGE, null, 100).entries()).containsExactly(
                new StatementEntry(3, day(1), CHARGE, "req_1", -2_000, 98_000, "m via a"),
                new StatementEntry(4, day(1), CHARGE, "req_2", -11_000, 87_000, "m via b"));
    }

    @Test
    void aChargeOfNothingIsNoEntry() {
        projection.on(new TopUpCredited(ACCOUNT, COMPANY, "pay_1", 100_000, 100_000), 1, day(0));
        projection.on(new ChargedAgainstHold(ACCOUNT, COMPANY, "hold_1", "req_failed", 0, 0, 0, 0, "m failed",
                100_000, 8_000, null), 3, day(1));
        projection.on(new ReservationSettled(ACCOUNT, COMPANY, "req_free", 5_000, 0, 0, 0, "m from the cache",
                100_000, 8_000, null), 4, day(1));
        projection.on(new ChargedAgainstHold(ACCOUNT, COMPANY, "hold_1", "req_2", 2_000, 2_000, 2_000, 0, "m via a",
                98_000, 6_000, null), 5, day(2));

        assertThat(page(null, null, null, null, 100).entries()).containsExactly(
                new StatementEntry(1, day(0), TOP_UP, "pay_1", 100_000, 100_000, null),
                new StatementEntry(5, day(2), CHARGE, "req_2", -2_000, 98_000, "m via a"));
    }

    @Test
    void entriesAddUpToTheBalanceAfterTheLastOne() {
        ledger();

        List<StatementEntry> entries = page(null, null, null, null, 100).entries();
        long running = 0;
        for (StatementEntry entry : entries) {
            running += entry.amountMicros();
            assertThat(entry.balanceAfterMicros()).isEqualTo(running);
        }
    }

    @Test
    void filtersByPeriodWithAnInclusiveStartAndAnExclusiveEnd() {
        ledger();

        assertThat(page(day(1), day(3), null, null, 100).entries())
                .extracting(StatementEntry::entry).containsExactly(3L, 4L);
        assertThat(page(day(3), null, null, null, 100).entries())
                .extracting(StatementEntry::entry).containsExactly(6L, 7L);
        assertThat(page(null, day(1), null, null, 100).entries())
                .extracting(StatementEntry::entry).containsExactly(1L);
    }

    @Test
    void filtersByType() {
        ledger();

        assertThat(page(null, null, CHARGE, null, 100).entries())
                .extracting(StatementEntry::reference).containsExactly("req_1", "req_2");
        assertThat(page(null, null, ADJUSTMENT, null, 100).entries())
                .extracting(StatementEntry::reference).containsExactly("adj_1");
        assertThat(page(day(1), day(4), TOP_UP, null, 100).entries()).isEmpty();
    }

    @Test
    void pagesFollowTheCursorUntilTheLastPageHasNone() {
        ledger();

        StatementPage first = page(null, null, null, null, 2);
        assertThat(first.entries()).extracting(StatementEntry::entry).containsExactly(1L, 3L);
        assertThat(first.nextCursor()).isEqualTo(3L);

        StatementPage second = page(null, null, null, first.nextCursor(), 2);
        assertThat(second.entries()).extracting(StatementEntry::entry).containsExactly(4L, 6L);
        assertThat(second.nextCursor()).isEqualTo(6L);

        StatementPage last = page(null, null, null, second.nextCursor(), 2);
        assertThat(last.entries()).extracting(StatementEntry::entry).containsExactly(7L);
        assertThat(last.nextCursor()).isNull();

        StatementPage exact = page(null, null, null, 3L, 3);
        assertThat(exact.entries()).extracting(StatementEntry::entry).containsExactly(4L, 6L, 7L);
        assertThat(exact.nextCursor()).isNull();

        StatementPage charges = page(null, null, CHARGE, null, 1);
        assertThat(charges.nextCursor()).isEqualTo(3L);
        assertThat(page(null, null, CHARGE, charges.nextCursor(), 1).entries())
                .extracting(StatementEntry::entry).containsExactly(6L);
    }

    @Test
    void theLimitIsClampedToOneToFiveHundred() {
        for (int i = 1; i <= 502; i++) {
            projection.on(new TopUpCredited(ACCOUNT, COMPANY, "pay_" + i, 1, i), i, T0.plusSeconds(i));
        }

        StatementPage none = page(null, null, null, null, 0);
        assertThat(none.entries()).hasSize(1);
        assertThat(none.nextCursor()).isEqualTo(1L);

        StatementPage huge = page(null, null, null, null, 10_000);
        assertThat(huge.entries()).hasSize(500);
        assertThat(huge.nextCursor()).isEqualTo(500L);
    }

    @Test
    void otherCompaniesEntriesStayOut() {
        ledger();
        projection.on(new TopUpCredited(AccountId.of("cmp_other"), "cmp_other", "pay_x", 5, 5), 1, day(0));

        assertThat(page(null, null, null, null, 100).entries()).extracting(StatementEntry::reference)
                .doesNotContain("pay_x");
    }

    @Test
    void aRedeliveredEventChangesNothing() {
        ledger();
        List<Map<String, Object>> before = rows();

        ledger();

        assertThat(rows()).isEqualTo(before).hasSize(5);
    }

    @Test
    void resetEmptiesTheTableAndAReplayRebuildsIdenticalRows() {
        ledger();
        List<Map<String, Object>> built = rows();

        projection.reset();
        assertThat(rows()).isEmpty();

        ledger();
        assertThat(rows()).isEqualTo(built);
    }

    /** Sequence numbers 2 and 5 are holds, which move no balance and make no entry. */
    private void ledger() {
        projection.on(new TopUpCredited(ACCOUNT, COMPANY, "pay_1", 100_000_000, 100_000_000), 1, day(0));
        projection.on(new ReservationSettled(ACCOUNT, COMPANY, "req_1", 10_000, 1_500, 1_500, 0,
                "gpt-4o-mini 120 in / 40 out", 99_998_500, 0, null), 3, day(1));
        projection.on(new BalanceAdjusted(ACCOUNT, COMPANY, "adj_1", -8_500, "rounding correction", "op",
                99_990_000), 4, day(2));
        projection.on(new ReservationSettled(ACCOUNT, COMPANY, "req_2", 2_000_000, 3_000_000, 2_990_000, 10_000,
                "claude-sonnet", 97_000_000, 0, null), 6, day(3));
        projection.on(new TopUpCredited(ACCOUNT, COMPANY, "pay_2", 3_000_000, 100_000_000), 7, day(4));
    }

    private StatementPage page(Instant from, Instant to, StatementEntryType type, Long after, int limit) {
        return projection.handle(new FindStatement(COMPANY, from, to, type, after, limit));
    }

    private static Instant day(int days) {
        return T0.plusSeconds(86_400L * days);
    }

    private static List<Map<String, Object>> rows() {
        return QueryDatabase.rows("statement_entry", "company_id, entry");
    }
}
