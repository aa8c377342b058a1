package dev.aiagg.gateway.web;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Query parameters the API reads by hand (periods, pages, cursors), each refused with a 400 that names it. Instants
 * are kept between {@link #EARLIEST} and {@link #LATEST}, which every clock, column and date format here can hold.
 */
public final class QueryParameters {

    public static final Instant EARLIEST = Instant.EPOCH;
    public static final Instant LATEST = LocalDate.of(10_000, 1, 1).atStartOfDay().toInstant(ZoneOffset.UTC);
    private static final String PERIOD = " must be an ISO-8601 instant (2026-01-31T12:00:00Z) or date (2026-01-31)"
            + " from 1970-01-01 to 9999-12-31";

    private QueryParameters() {
    }

    /**
     * An instant ({@code 2026-01-31T12:00:00Z}) or a date, which means the start of that day in UTC, or with
     * {@code endOfDay} the end of it; null when the parameter is absent or blank.
     *
     * @throws ProblemException 400 naming the parameter otherwise
     */
    public static Instant instant(String name, String value, boolean endOfDay) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Instant instant;
        try {
            instant = Instant.parse(value);
        } catch (DateTimeParseException notAnInstant) {
            try {
                LocalDate day = LocalDate.parse(value);
                instant = startOf(endOfDay ? day.plusDays(1) : day);
            } catch (DateTimeException notADate) {
                throw ProblemException.invalidField(name, name + PERIOD);
            }
        }
        if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
            throw ProblemException.invalidField(name, name + PERIOD);
        }
        return instant;
    }

    public static Instant startOf(LocalDate day) {
        return day.atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    /**
     * A whole number from {@code min} to {@code max}, or {@code fallback} when absent or blank.
     *
     * @throws ProblemException 400 naming the parameter otherwise
     */
    public static long wholeNumber(String name, String value, long fallback, long min, long max, String refusal) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        long number;
        try {
            number = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ProblemException.invalidField(name, refusal);
        }
        if (number < min || number > max) {
            throw ProblemException.invalidField(name, refusal);
        }
        return number;
    }
}
