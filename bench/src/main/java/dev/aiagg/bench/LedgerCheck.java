package dev.aiagg.bench;

import java.util.List;
import java.util.stream.Stream;
import org.springframework.jdbc.core.JdbcTemplate;

/** After the load, every account's read models must agree with what was sent. */
final class LedgerCheck {

    static final long FUNDING_MICROS = 1_000_000_000_000L;

    private LedgerCheck() {
    }

    static void verify(JdbcTemplate jdbc, List<String> hot, List<String> spread, long costPerPair) {
        Stream.concat(hot.stream(), spread.stream()).forEach(companyId -> {
            Long reserved = jdbc.queryForObject(
                    "select reserved_micros from account_balance where company_id = ?", Long.class, companyId);
            Long balance = jdbc.queryForObject(
                    "select balance_micros from account_balance where company_id = ?", Long.class, companyId);
            Long statementSum = jdbc.queryForObject(
                    "select coalesce(sum(amount_micros), 0) from statement_entry where company_id = ?",
                    Long.class, companyId);
            Long charges = jdbc.queryForObject(
                    "select count(*) from statement_entry where company_id = ? and type = 'CHARGE'",
                    Long.class, companyId);
            if (reserved != 0 || !balance.equals(statementSum)
                    || balance != FUNDING_MICROS - charges * costPerPair) {
                throw new IllegalStateException("ledger check failed for " + companyId + ": balance " + balance
                        + ", reserved " + reserved + ", statement sum " + statementSum + ", charges " + charges);
            }
        });
    }
}
