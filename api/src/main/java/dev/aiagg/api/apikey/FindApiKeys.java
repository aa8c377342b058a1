package dev.aiagg.api.apikey;

/** A company's keys, newest first. Answered with {@link ApiKeyList}. */
public record FindApiKeys(String companyId) {
}
