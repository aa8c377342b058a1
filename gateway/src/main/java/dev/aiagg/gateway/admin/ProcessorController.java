package dev.aiagg.gateway.admin;

import dev.aiagg.axon.processing.ProcessorControl;
import dev.aiagg.axon.processing.ProcessorStatus;
import dev.aiagg.gateway.web.AllowedText;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import static dev.aiagg.api.Text.Kind.IDENTIFIER;

/** Operators pause, resume and replay the event processors of this node (an unknown name is a 404). */
@RestController
@RequestMapping("/api/admin/processors")
@PreAuthorize("hasRole('PLATFORM_ADMIN')")
class ProcessorController {

    private final ProcessorControl processors;

    ProcessorController(ProcessorControl processors) {
        this.processors = processors;
    }

    @GetMapping
    public ProcessorList list() {
        return new ProcessorList(processors.list());
    }

    @PostMapping("/{name}/pause")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public void pause(@PathVariable @AllowedText(IDENTIFIER) String name) {
        processors.pause(name);
    }

    @PostMapping("/{name}/resume")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public void resume(@PathVariable @AllowedText(IDENTIFIER) String name) {
        processors.resume(name);
    }

    @PostMapping("/{name}/replay")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public void replay(@PathVariable @AllowedText(IDENTIFIER) String name) {
        processors.replay(name);
    }

    record ProcessorList(List<ProcessorStatus> processors) {
    }
}
