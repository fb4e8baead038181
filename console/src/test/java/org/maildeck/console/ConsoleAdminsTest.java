package org.maildeck.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.james.core.Domain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.maildeck.adminaccess.accounts.AccountRefused;
import org.maildeck.durability.Durability;

class ConsoleAdminsTest {

    // few iterations: the tests check the rules, not the cost
    private static final String ALGORITHM = "PBKDF2-SHA512-10-512";

    @TempDir
    Path folder;

    private ConsoleAdmins admins() {
        return new ConsoleAdmins(folder.resolve("console").resolve("admins"), ALGORITHM, Durability.UNWATCHED);
    }

    @Test
    void addedAdminLogsInWithItsPasswordOnly() {
        ConsoleAdmins admins = admins();
        admins.add("root", "right-Pa55", List.of(), domain -> true);

        assertThat(admins.verify("root", "right-Pa55")).hasValueSatisfying(admin -> assertThat(admin.superAdmin()).isTrue());
        assertThat(admins.verify("root", "wrong")).isEmpty();
        assertThat(admins.verify("nobody", "right-Pa55")).isEmpty();
    }

    @Test
    void adminsSurviveARestart() {
        admins().add("ann", "ann-Pa55", List.of("a.test"), domain -> true);

        ConsoleAdmins reread = admins();

        assertThat(reread.verify("ann", "ann-Pa55")).hasValueSatisfying(admin ->
            assertThat(admin.domains()).containsExactly(Domain.of("a.test")));
    }

    @Test
    void passwordIsStoredHashedWithARandomSalt() throws Exception {
        ConsoleAdmins admins = admins();
        admins.add("one", "same-Pa55", List.of(), domain -> true);
        admins.add("two", "same-Pa55", List.of(), domain -> true);

        List<String> lines = Files.readAllLines(folder.resolve("console").resolve("admins"));

        assertThat(String.join("\n", lines)).doesNotContain("same-Pa55").contains("PBKDF2-SHA512-10-512");
        assertThat(lines.get(0).split("\t")[4]).isNotEqualTo(lines.get(1).split("\t")[4]);
    }

    @Test
    void domainAdminManagesItsDomainsOnly() {
        ConsoleAdmin admin = admins().add("ann", "ann-Pa55", List.of("a.test"), domain -> true);

        assertThat(admin.manages(Domain.of("a.test"))).isTrue();
        assertThat(admin.manages(Domain.of("b.test"))).isFalse();
    }

    @Test
    void domainThatIsNotLocalIsRefused() {
        assertThatThrownBy(() -> admins().add("ann", "ann-Pa55", List.of("remote.test"), domain -> false))
            .isInstanceOf(AccountRefused.class)
            .hasMessage("unknown domain 'remote.test' (add it with: maildeck domain add remote.test)");
    }

    @Test
    void duplicateMalformedAndPasswordlessAdminsAreRefused() {
        ConsoleAdmins admins = admins();
        admins.add("root", "root-Pa55", List.of(), domain -> true);

        assertThatThrownBy(() -> admins.add("Root", "x", List.of(), domain -> true)).hasMessage("console admin 'root' already exists");
        assertThatThrownBy(() -> admins.add("<b>", "x", List.of(), domain -> true)).hasMessageStartingWith("malformed console admin name '<b>'");
        assertThatThrownBy(() -> admins.add("empty", "", List.of(), domain -> true)).hasMessage("empty password refused");
        assertThat(admins.list()).extracting(ConsoleAdmin::name).containsExactly("root");
    }

    @Test
    void changedPasswordReplacesTheOldOne() {
        ConsoleAdmins admins = admins();
        admins.add("root", "old-Pa55", List.of(), domain -> true);

        admins.changePassword("root", "new-Pa55");

        assertThat(admins.verify("root", "old-Pa55")).isEmpty();
        assertThat(admins().verify("root", "new-Pa55")).isPresent();
    }

    @Test
    void removedAdminIsGoneAfterARestart() {
        ConsoleAdmins admins = admins();
        admins.add("root", "root-Pa55", List.of(), domain -> true);

        admins.remove("root");

        assertThat(admins().find("root")).isEmpty();
        assertThatThrownBy(() -> admins.remove("root")).hasMessage("no such console admin 'root'");
    }
}
