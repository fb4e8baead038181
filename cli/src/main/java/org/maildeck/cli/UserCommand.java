package org.maildeck.cli;

import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code maildeck user add|passwd|remove|list}: mail accounts, named by their full address. */
@Command(name = "user", description = "Mail accounts (login = full address).")
final class UserCommand {

    @ParentCommand
    private MaildeckAdmin admin;

    @Command(name = "add", description = "Create the account ADDRESS; its domain must be local.")
    void add(@Parameters(paramLabel = "ADDRESS") String address,
             @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.") boolean passwordStdin) {
        Username username = username(address);
        WebAdminClient webAdmin = admin.webAdmin();
        LocalDomains.require(webAdmin, username.getDomainPart().orElseThrow());
        // Checked before asking for the password, so that nobody types one for nothing.
        if (webAdmin.userExists(username)) {
            throw AdminFailure.refused("user '%s' already exists", username.asString());
        }
        webAdmin.addUser(username, PasswordInput.read(passwordStdin, username.asString()));
    }

    @Command(name = "passwd", description = "Change the password of ADDRESS.")
    void passwd(@Parameters(paramLabel = "ADDRESS") String address,
                @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.") boolean passwordStdin) {
        Username username = username(address);
        WebAdminClient webAdmin = admin.webAdmin();
        // WebAdmin's forced PUT would create a missing user instead of failing.
        requireUser(webAdmin, username);
        webAdmin.changePassword(username, PasswordInput.read(passwordStdin, username.asString()));
    }

    @Command(name = "remove", description = "Delete the account ADDRESS (its stored mail is not deleted).")
    void remove(@Parameters(paramLabel = "ADDRESS") String address) {
        Username username = username(address);
        WebAdminClient webAdmin = admin.webAdmin();
        // WebAdmin answers 204 to the removal of a missing user as well.
        requireUser(webAdmin, username);
        webAdmin.removeUser(username);
    }

    @Command(name = "list", description = "The accounts, one per line.")
    void list() {
        admin.webAdmin().users().stream().sorted().forEach(System.out::println);
    }

    private static Username username(String address) {
        MailAddress mailAddress = AddressSyntax.mailboxOwner(address);
        return Username.fromMailAddress(mailAddress);
    }

    private static void requireUser(WebAdminClient webAdmin, Username username) {
        if (!webAdmin.userExists(username)) {
            throw AdminFailure.refused("no such user '%s'", username.asString());
        }
    }
}
