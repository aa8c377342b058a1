package dev.aiagg.api.account;

/**
 * Each company has one account. Its aggregate id differs from the company's because the event store keys
 * events by aggregate id alone, whatever the aggregate type.
 */
public final class AccountId {

    private static final String PREFIX = "acct_";

    private AccountId() {
    }

    public static String of(String companyId) {
        return PREFIX + companyId;
    }

    public static String companyOf(String accountId) {
        return accountId.startsWith(PREFIX) ? accountId.substring(PREFIX.length()) : accountId;
    }
}
