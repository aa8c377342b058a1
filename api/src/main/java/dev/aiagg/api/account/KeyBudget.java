package dev.aiagg.api.account;

/**
 * The monthly budget of the API key a reservation is made for. {@code month} ({@code yyyy-MM}, UTC) is the month
 * the caller's clock is in, so that the spending it counts against is unambiguous.
 */
public record KeyBudget(String keyId, long monthlyBudgetMicros, String month) {
}
