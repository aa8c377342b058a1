package dev.aiagg.axon.commandbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.aiagg.axon.sample.AddNote;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;
import org.junit.jupiter.api.Test;

class CommandTargetsTest {

    private final CommandTargets targets = new CommandTargets();

    @Test
    void aRecordComponentNamesTheTarget() {
        VersionedAggregateIdentifier first = targets.resolveTarget(GenericCommandMessage.asCommandMessage(
                new AddNote("notebook-1", "a")));
        VersionedAggregateIdentifier second = targets.resolveTarget(GenericCommandMessage.asCommandMessage(
                new AddNote("notebook-2", "b")));

        assertThat(first.getIdentifier()).isEqualTo("notebook-1");
        assertThat(first.getVersion()).isNull();
        assertThat(second.getIdentifier()).isEqualTo("notebook-2");
    }

    @Test
    void aVersionMemberIsReadToo() {
        VersionedAggregateIdentifier target = targets.resolveTarget(GenericCommandMessage.asCommandMessage(
                new Rename("doc-7", 3, "title")));

        assertThat(target.getIdentifier()).isEqualTo("doc-7");
        assertThat(target.getVersion()).isEqualTo(3L);
    }

    @Test
    void aCommandWithoutTargetIsRefused() {
        assertThatThrownBy(() -> targets.resolveTarget(GenericCommandMessage.asCommandMessage(new Untargeted("x"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> targets.resolveTarget(GenericCommandMessage.asCommandMessage(new AddNote(null, "x"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    record Rename(@TargetAggregateIdentifier String documentId, @TargetAggregateVersion int version, String title) {
    }

    record Untargeted(String value) {
    }
}
