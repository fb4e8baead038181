package org.maildeck.cli;

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
        admin.accounts().addUser(address, username -> PasswordInput.read(passwordStdin, username.asString()));
    }

    @Command(name = "passwd", description = "Change the password of ADDRESS.")
    void passwd(@Parameters(paramLabel = "ADDRESS") String address,
                @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.") boolean passwordStdin) {
        admin.accounts().changePassword(address, username -> PasswordInput.read(passwordStdin, username.asString()));
    }

    @Command(name = "remove", description = "Delete the account ADDRESS (its stored mail is not deleted).")
    void remove(@Parameters(paramLabel = "ADDRESS") String address) {
        admin.accounts().removeUser(address);
    }

    @Command(name = "list", description = "The accounts, one per line.")
    void list() {
        admin.webAdmin().users().stream().sorted().forEach(System.out::println);
    }
}
