package dev.aiagg.axon.processing;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of each processing group's dead-letter queue. A full queue refuses the next letter, and the group then stops
 * and retries until an operator retries or evicts letters: every later event of a dead-lettered sequence queues behind
 * its first letter, so a busy account fills its sequence quickly.
 *
 * @param maxSequences    dead-lettered sequences (accounts, keys, companies, models) per group
 * @param maxSequenceSize letters per sequence; each new letter counts the letters of its sequence first
 */
@ConfigurationProperties("aiagg.axon.dead-letters")
record DeadLetterProperties(@DefaultValue("1024") int maxSequences,
                            @DefaultValue("10000") int maxSequenceSize) {

    DeadLetterProperties {
        if (maxSequences < 1 || maxSequenceSize < 1) {
            throw new IllegalArgumentException(
                    "aiagg.axon.dead-letters.max-sequences and max-sequence-size must be at least 1");
        }
    }
}
