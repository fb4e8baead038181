package org.maildeck.console;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.james.core.Username;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maildeck.adminaccess.accounts.AccountRefused;
import org.maildeck.durability.Durability;
import org.maildeck.maildir.MaildirLayout;

class VacationScriptTest {

    private static final Username USER = Username.of("alice@example.test");

    @TempDir
    Path root;

    private VacationScript vacation() {
        return new VacationScript(new MaildirLayout(root), Durability.UNWATCHED);
    }

    private Path home() {
        return root.resolve("example.test").resolve("alice");
    }

    @Test
    void activationWritesTheScriptAndPointsTheActiveLinkAtIt() throws IOException {
        vacation().activate(USER, "Away", "Back on Monday.");

        assertThat(Files.readSymbolicLink(home().resolve(".dovecot.sieve"))).isEqualTo(Path.of("sieve", "vacation.sieve"));
        assertThat(Files.readString(home().resolve("sieve/vacation.sieve"), UTF_8))
            .contains("require [\"vacation\"];", "vacation :days 7 :subject \"Away\" \"Back on Monday.\";");
    }

    @Test
    void quotesAndBackslashesAreEscapedAndReadBackAsTyped() throws IOException {
        String text = "He said \"out\\in\";\nvacation :days 1 \"injected\";";
        vacation().activate(USER, "a \"b\" \\ c", text);

        String script = Files.readString(home().resolve("sieve/vacation.sieve"), UTF_8);
        assertThat(script).contains("\"He said \\\"out\\\\in\\\";\nvacation :days 1 \\\"injected\\\";\"");
        assertThat(vacation().read(USER)).isEqualTo(new VacationScript.Reply(true, "a \"b\" \\ c", text));
    }

    @Test
    void deactivationRemovesTheLinkAndKeepsTheScript() throws IOException {
        vacation().activate(USER, "Away", "Back soon.");

        assertThat(vacation().deactivate(USER)).isTrue();

        assertThat(home().resolve(".dovecot.sieve")).doesNotExist();
        assertThat(home().resolve("sieve/vacation.sieve")).exists();
        assertThat(vacation().read(USER).active()).isFalse();
    }

    @Test
    void anotherActiveScriptIsNeitherReplacedNorDeactivated() throws IOException {
        Files.createDirectories(home().resolve("sieve"));
        Files.writeString(home().resolve("sieve/mine.sieve"), "keep;\n");
        Files.createSymbolicLink(home().resolve(".dovecot.sieve"), Path.of("sieve/mine.sieve"));

        assertThatThrownBy(() -> vacation().activate(USER, "Away", "Back soon."))
            .isInstanceOf(AccountRefused.class).hasMessageContaining("another Sieve script is active (mine.sieve)");
        assertThat(vacation().deactivate(USER)).isFalse();
        assertThat(Files.readSymbolicLink(home().resolve(".dovecot.sieve"))).isEqualTo(Path.of("sieve/mine.sieve"));
    }

    @Test
    void controlCharactersInTheSubjectAreRefused() {
        assertThatThrownBy(() -> vacation().activate(USER, "Away\nBcc: x", "Back soon."))
            .isInstanceOf(AccountRefused.class).hasMessageContaining("subject: control characters");
        assertThat(home().resolve(".dovecot.sieve")).doesNotExist();
    }
}
