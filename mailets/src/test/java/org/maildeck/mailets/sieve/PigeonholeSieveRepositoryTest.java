package org.maildeck.mailets.sieve;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.james.core.Username;
import org.apache.james.sieverepository.api.ScriptContent;
import org.apache.james.sieverepository.api.ScriptName;
import org.apache.james.sieverepository.api.ScriptSummary;
import org.apache.james.sieverepository.api.SieveRepository;
import org.apache.james.sieverepository.api.exception.DuplicateException;
import org.apache.james.sieverepository.api.exception.IsActiveException;
import org.apache.james.sieverepository.api.exception.QuotaExceededException;
import org.apache.james.sieverepository.api.exception.StorageException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maildeck.durability.Durability;
import org.maildeck.maildir.MaildirLayout;

class PigeonholeSieveRepositoryTest {

    private static final String SCRIPT = "keep;\r\n";
    private static final Username ALICE = Username.of("alice@pigeon.example");

    @TempDir
    Path temp;
    private Path root;
    private Path home;
    private PigeonholeSieveRepository scripts;

    @BeforeEach
    void aMailRoot() throws Exception {
        root = Files.createDirectories(temp.resolve("mail"));
        home = root.resolve("pigeon.example/alice");
        scripts = new PigeonholeSieveRepository(new MaildirLayout(root), Durability.UNWATCHED, 100, 3);
    }

    @Test
    void aScriptIsStoredAsPigeonholeStoresIt() throws Exception {
        scripts.putScript(ALICE, new ScriptName("main"), new ScriptContent(SCRIPT));

        assertThat(Files.readString(home.resolve("sieve/main.sieve"), UTF_8)).isEqualTo(SCRIPT);
        try (var files = Files.list(home.resolve("sieve"))) {
            assertThat(files.map(file -> file.getFileName().toString())).as("no temporary left").containsExactly("main.sieve");
        }
    }

    @Test
    void activatingPointsARelativeSymlinkAtTheScript() throws Exception {
        scripts.putScript(ALICE, new ScriptName("main"), new ScriptContent(SCRIPT));

        scripts.setActive(ALICE, new ScriptName("main"));

        assertThat(Files.readSymbolicLink(home.resolve(".dovecot.sieve"))).isEqualTo(Path.of("sieve/main.sieve"));
        assertThat(scripts.listScripts(ALICE)).containsExactly(new ScriptSummary(new ScriptName("main"), true));
        assertThat(new String(scripts.getActive(ALICE).readAllBytes(), UTF_8)).isEqualTo(SCRIPT);
    }

    @Test
    void deactivatingRemovesTheLinkOnly() throws Exception {
        scripts.putScript(ALICE, new ScriptName("main"), new ScriptContent(SCRIPT));
        scripts.setActive(ALICE, new ScriptName("main"));

        scripts.setActive(ALICE, SieveRepository.NO_SCRIPT_NAME);

        assertThat(home.resolve(".dovecot.sieve")).doesNotExist();
        assertThat(home.resolve("sieve/main.sieve")).exists();
    }

    @Test
    void aHandWrittenActiveFileIsKeptAsPigeonholeKeepsIt() throws Exception {
        Files.createDirectories(home);
        Files.writeString(home.resolve(".dovecot.sieve"), "discard;\r\n");
        scripts.putScript(ALICE, new ScriptName("main"), new ScriptContent(SCRIPT));

        scripts.setActive(ALICE, new ScriptName("main"));

        assertThat(home.resolve("sieve/dovecot.orig.sieve")).hasContent("discard;\r\n");
    }

    @Test
    void theActiveScriptCannotBeDeleted() throws Exception {
        scripts.putScript(ALICE, new ScriptName("main"), new ScriptContent(SCRIPT));
        scripts.setActive(ALICE, new ScriptName("main"));

        assertThatThrownBy(() -> scripts.deleteScript(ALICE, new ScriptName("main"))).isInstanceOf(IsActiveException.class);
    }

    @Test
    void renamingTheActiveScriptKeepsItActive() throws Exception {
        scripts.putScript(ALICE, new ScriptName("main"), new ScriptContent(SCRIPT));
        scripts.setActive(ALICE, new ScriptName("main"));

        scripts.renameScript(ALICE, new ScriptName("main"), new ScriptName("renamed"));

        assertThat(Files.readSymbolicLink(home.resolve(".dovecot.sieve"))).isEqualTo(Path.of("sieve/renamed.sieve"));
        assertThat(scripts.listScripts(ALICE)).containsExactly(new ScriptSummary(new ScriptName("renamed"), true));
    }

    @Test
    void renamingOntoAnExistingScriptIsRefused() throws Exception {
        scripts.putScript(ALICE, new ScriptName("a"), new ScriptContent(SCRIPT));
        scripts.putScript(ALICE, new ScriptName("b"), new ScriptContent(SCRIPT));

        assertThatThrownBy(() -> scripts.renameScript(ALICE, new ScriptName("a"), new ScriptName("b"))).isInstanceOf(DuplicateException.class);
    }

    @Test
    void namesThatWouldLeaveTheScriptsDirectoryAreRefused() {
        for (String name : List.of("../out", "a/b", "..", ".hidden", "nul\0", "tab\tname", "x".repeat(257))) {
            assertThatThrownBy(() -> scripts.putScript(ALICE, new ScriptName(name), new ScriptContent(SCRIPT)))
                .as(name).isInstanceOf(PigeonholeSieveRepository.InvalidScriptNameException.class);
        }
        assertThat(root.resolve("pigeon.example/out.sieve")).doesNotExist();
    }

    @Test
    void aScriptOverTheSizeLimitIsRefused() {
        assertThatThrownBy(() -> scripts.putScript(ALICE, new ScriptName("big"), new ScriptContent("#".repeat(101))))
            .isInstanceOf(QuotaExceededException.class);
    }

    @Test
    void aScriptOverTheCountLimitIsRefusedButReplacingOneIsNot() throws Exception {
        for (String name : List.of("a", "b", "c")) {
            scripts.putScript(ALICE, new ScriptName(name), new ScriptContent(SCRIPT));
        }

        assertThatThrownBy(() -> scripts.putScript(ALICE, new ScriptName("d"), new ScriptContent(SCRIPT))).isInstanceOf(QuotaExceededException.class);
        scripts.putScript(ALICE, new ScriptName("a"), new ScriptContent("discard;\r\n"));
    }

    @Test
    void aHomeThatIsASymlinkOutOfTheMailRootIsRefused() throws Exception {
        Path elsewhere = Files.createDirectories(temp.resolve("elsewhere"));
        Files.createDirectories(home.getParent());
        Files.createSymbolicLink(home, elsewhere);

        assertThatThrownBy(() -> scripts.putScript(ALICE, new ScriptName("main"), new ScriptContent(SCRIPT))).isInstanceOf(StorageException.class);
        try (var files = Files.list(elsewhere)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aDomainDirectoryThatIsASymlinkIsNotWrittenThrough() throws Exception {
        Path elsewhere = Files.createDirectories(temp.resolve("elsewhere"));
        Files.createSymbolicLink(root.resolve("pigeon.example"), elsewhere);

        assertThatThrownBy(() -> scripts.putScript(ALICE, new ScriptName("main"), new ScriptContent(SCRIPT))).isInstanceOf(StorageException.class);
        try (var files = Files.list(elsewhere)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aScriptThatIsASymlinkIsNotRead() throws Exception {
        Path outside = Files.writeString(temp.resolve("outside.sieve"), "secret");
        Files.createDirectories(home.resolve("sieve"));
        Files.createSymbolicLink(home.resolve("sieve/planted.sieve"), outside);

        assertThatThrownBy(() -> scripts.getScript(ALICE, new ScriptName("planted"))).isInstanceOf(StorageException.class);
        assertThat(scripts.listScripts(ALICE)).isEmpty();
    }
}
