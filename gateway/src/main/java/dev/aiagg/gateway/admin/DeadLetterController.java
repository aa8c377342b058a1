package dev.aiagg.gateway.admin;

import dev.aiagg.axon.processing.DeadLetters;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Operators see the events that their handlers could not handle, per processing group and sequence (an account, key,
 * company or model), process a sequence again once its cause is mended, or evict it for good (the read model then
 * stays without those events until the group is replayed). An unknown group or sequence is a 404.
 */
@RestController
@RequestMapping("/api/admin/dead-letters")
@PreAuthorize("hasRole('PLATFORM_ADMIN')")
class DeadLetterController {

    static final int DEFAULT_PAGE = 50;

    private final DeadLetters deadLetters;

    DeadLetterController(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @GetMapping
    public LetterPage list(@RequestParam(required = false) @DeadLetterName String group,
                           @RequestParam(defaultValue = "0") @Min(0) int offset,
                           @RequestParam(defaultValue = "" + DEFAULT_PAGE) @Min(1) @Max(DeadLetters.MAX_PAGE)
                           int limit) {
        DeadLetters.Page page = deadLetters.list(group, offset, limit);
        return new LetterPage(page.letters(), page.total(), offset, limit);
    }

    @PostMapping("/{group}/{sequence}/retry")
    public DeadLetters.Retried retry(@PathVariable @DeadLetterName String group,
                                     @PathVariable @DeadLetterName String sequence) {
        return deadLetters.retry(group, sequence);
    }

    @DeleteMapping("/{group}/{sequence}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void evict(@PathVariable @DeadLetterName String group, @PathVariable @DeadLetterName String sequence) {
        deadLetters.evict(group, sequence);
    }

    record LetterPage(List<DeadLetters.Letter> letters, long total, int offset, int limit) {
    }
}
