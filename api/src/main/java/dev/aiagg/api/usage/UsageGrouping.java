package dev.aiagg.api.usage;

/** How a usage report adds up its requests: per UTC day, per model or per API key. */
public enum UsageGrouping {
    DAY, MODEL, KEY
}
