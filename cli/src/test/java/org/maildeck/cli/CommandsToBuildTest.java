package org.maildeck.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommandsToBuildTest {

    @Test
    void theCommandNamedAfterTheConfigurationIsTheOnlyOneBuilt() {
        assertThat(CommandsToBuild.forArguments("--conf", "/etc/maildeck", "user", "list")).containsExactly(UserCommand.class);
    }

    @Test
    void theConfigurationGivenWithAnEqualsSignIsSkippedToo() {
        assertThat(CommandsToBuild.forArguments("--conf=/etc/maildeck", "sieve", "list", "a@b.test")).containsExactly(SieveCommand.class);
    }

    @Test
    void aCommandWordThatLooksLikeAnotherCommandsNameFurtherOnDoesNotCount() {
        assertThat(CommandsToBuild.forArguments("--conf", "c", "alias", "add", "user", "domain")).containsExactly(AliasCommand.class);
    }

    @Test
    void anUnknownCommandGetsAllOfThemForItsMessage() {
        assertThat(CommandsToBuild.forArguments("--conf", "c", "rename", "x")).isEqualTo(CommandsToBuild.ALL);
    }

    @Test
    void helpBeforeAnyCommandGetsAllOfThemForTheList() {
        assertThat(CommandsToBuild.forArguments("--conf", "c", "--help")).isEqualTo(CommandsToBuild.ALL);
    }

    @Test
    void noCommandAtAllGetsAllOfThem() {
        assertThat(CommandsToBuild.forArguments("--conf", "c")).isEqualTo(CommandsToBuild.ALL);
    }

    @Test
    void everyCommandOfTheListCanBeNamed() {
        for (Class<?> command : CommandsToBuild.ALL) {
            String name = command.getAnnotation(picocli.CommandLine.Command.class).name();
            assertThat(CommandsToBuild.forArguments("--conf", "c", name)).containsExactly(command);
        }
    }
}
