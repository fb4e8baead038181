package org.maildeck.mailets.sieve;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.domainlist.lib.DomainListConfiguration;
import org.apache.james.domainlist.memory.MemoryDomainList;
import org.apache.james.sieverepository.api.SieveRepository;
import org.apache.james.sieverepository.api.exception.ScriptNotFoundException;
import org.apache.james.user.memory.MemoryUsersRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maildeck.maildir.MaildirLayout;

class PigeonholeScriptsTest {

    private static final String SCRIPT = "require \"fileinto\";\r\nfileinto \"Lists\";\r\n";

    @TempDir
    Path temp;
    private Path root;
    private Path home;
    private PigeonholeScripts scripts;
    private final MailAddress user = address("alice@pigeon.example");

    @BeforeEach
    void aUserWithAHome() throws Exception {
        MemoryDomainList domains = new MemoryDomainList(null);
        domains.configure(DomainListConfiguration.builder().autoDetect(false).autoDetectIp(false).defaultDomain(Domain.LOCALHOST));
        domains.addDomain(Domain.of("pigeon.example"));
        MemoryUsersRepository users = MemoryUsersRepository.withVirtualHosting(domains);
        root = Files.createDirectories(temp.resolve("mail"));
        home = Files.createDirectories(root.resolve("pigeon.example/alice"));
        Files.createDirectories(home.resolve("Maildir"));
        SieveRepository noDatabaseScript = (SieveRepository) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {SieveRepository.class}, (proxy, method, args) -> {
                throw new ScriptNotFoundException("none in the database");
            });
        scripts = new PigeonholeScripts(new MaildirLayout(root), noDatabaseScript, users, 1000);
    }

    @Test
    void theScriptTheActiveSymlinkNamesIsRun() throws Exception {
        activate("main", SCRIPT);

        assertThat(new String(scripts.get(user).getScriptContent().readAllBytes(), US_ASCII)).isEqualTo(SCRIPT);
    }

    @Test
    void aPlainFileAsTheActiveScriptIsRunAsPigeonholeRunsIt() throws Exception {
        Files.writeString(home.resolve(".dovecot.sieve"), SCRIPT);

        assertThat(new String(scripts.get(user).getScriptContent().readAllBytes(), US_ASCII)).isEqualTo(SCRIPT);
    }

    @Test
    void withoutTheActiveSymlinkTheDatabaseIsAsked() {
        assertThatThrownBy(() -> scripts.get(user)).isInstanceOf(ScriptNotFoundException.class);
    }

    @Test
    void aSymlinkLeadingOutOfTheHomeIsRefused() throws Exception {
        Path secret = Files.writeString(temp.resolve("secret.sieve"), SCRIPT);
        Files.createSymbolicLink(home.resolve(".dovecot.sieve"), secret);

        assertThatThrownBy(() -> scripts.get(user)).isInstanceOf(PigeonholeHome.UnsafeScriptException.class)
            .hasMessageContaining("outside the user's home");
    }

    @Test
    void aRelativeSymlinkClimbingOutOfTheHomeIsRefused() throws Exception {
        Path bob = Files.createDirectories(root.resolve("pigeon.example/bob/sieve"));
        Files.writeString(bob.resolve("main.sieve"), SCRIPT);
        Files.createSymbolicLink(home.resolve(".dovecot.sieve"), Path.of("../bob/sieve/main.sieve"));

        assertThatThrownBy(() -> scripts.get(user)).isInstanceOf(PigeonholeHome.UnsafeScriptException.class);
    }

    @Test
    void aScriptDirectoryThatIsASymlinkOutOfTheHomeIsRefused() throws Exception {
        Path elsewhere = Files.createDirectories(temp.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("main.sieve"), SCRIPT);
        Files.createSymbolicLink(home.resolve("sieve"), elsewhere);
        Files.createSymbolicLink(home.resolve(".dovecot.sieve"), Path.of("sieve/main.sieve"));

        assertThatThrownBy(() -> scripts.get(user)).isInstanceOf(PigeonholeHome.UnsafeScriptException.class);
    }

    @Test
    void aHomeThatIsASymlinkOutOfTheMailRootIsRefused() throws Exception {
        Path planted = Files.createDirectories(temp.resolve("planted/sieve"));
        Files.writeString(planted.resolve("main.sieve"), SCRIPT);
        Files.createSymbolicLink(planted.getParent().resolve(".dovecot.sieve"), Path.of("sieve/main.sieve"));
        Files.move(home.resolve("Maildir"), planted.getParent().resolve("Maildir"));
        Files.delete(home);
        Files.createSymbolicLink(home, planted.getParent());

        assertThatThrownBy(() -> scripts.get(user)).isInstanceOf(PigeonholeHome.UnsafeScriptException.class)
            .hasMessageContaining("outside the mail root");
    }

    @Test
    void aDanglingActiveSymlinkIsRefused() throws Exception {
        Files.createSymbolicLink(home.resolve(".dovecot.sieve"), Path.of("sieve/gone.sieve"));

        assertThatThrownBy(() -> scripts.get(user)).isInstanceOf(PigeonholeHome.UnsafeScriptException.class)
            .hasMessageContaining("missing script");
    }

    @Test
    void aScriptLargerThanTheLimitIsRefused() throws Exception {
        activate("big", "#".repeat(1001));

        assertThatThrownBy(() -> scripts.get(user)).isInstanceOf(PigeonholeHome.UnsafeScriptException.class)
            .hasMessageContaining("larger than 1000 bytes");
    }

    @Test
    void aScriptWithANulByteIsRefused() throws Exception {
        activate("nul", "keep;\0");

        assertThatThrownBy(() -> scripts.get(user)).isInstanceOf(PigeonholeHome.UnsafeScriptException.class)
            .hasMessageContaining("NUL");
    }

    private void activate(String name, String content) throws Exception {
        Path directory = Files.createDirectories(home.resolve("sieve"));
        Files.writeString(directory.resolve(name + ".sieve"), content, US_ASCII);
        Files.createSymbolicLink(home.resolve(".dovecot.sieve"), Path.of("sieve/" + name + ".sieve"));
    }

    private static MailAddress address(String address) {
        try {
            return new MailAddress(address);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
