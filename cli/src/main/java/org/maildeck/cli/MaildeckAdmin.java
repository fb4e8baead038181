package org.maildeck.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.stream.Collectors;

import org.maildeck.adminaccess.accounts.AccountRefused;
import org.maildeck.adminaccess.accounts.Accounts;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code maildeck domain|user|alias|quarantine|queue|sieve ...}: administration of a running server through its
 * WebAdmin API. Started by {@code bin/maildeck} with {@code --conf} set to the instance's
 * configuration directory, where {@code webadmin.properties} says where WebAdmin listens.
 */
@Command(name = "maildeck",
    description = "Administration of a running Maildeck server.")
public final class MaildeckAdmin {

    @Option(names = "--conf", paramLabel = "DIR", defaultValue = "${env:MAILDECK_CONF:-conf}",
        description = "Configuration directory of the server instance (default: $MAILDECK_CONF).")
    private Path conf;

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "Show this help.")
    private boolean help;

    private WebAdminClient webAdmin;

    Path conf() {
        return conf;
    }

    /** The client of this instance's WebAdmin, made on first use so that usage errors need no configuration. */
    WebAdminClient webAdmin() {
        if (webAdmin == null) {
            webAdmin = new WebAdminClient(WebAdminAddress.fromConf(conf), new AdminCredential(conf));
        }
        return webAdmin;
    }

    /** The rules of domains, accounts and aliases, applied to this instance over WebAdmin. */
    Accounts accounts() {
        return new Accounts(webAdmin());
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        CommandLine commandLine = new CommandLine(new MaildeckAdmin());
        // the subcommands: only the one that runs, when the arguments name one (CommandsToBuild)
        CommandsToBuild.forArguments(args).forEach(commandLine::addSubcommand);
        // A domain or address starting with '-' is a (malformed) argument, not an unknown option.
        commandLine.setUnmatchedOptionsArePositionalParams(true);
        commandLine.setParameterExceptionHandler((e, arguments) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("maildeck: " + describe(e) + " (see: " + e.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
            err.flush();
            return AdminFailure.USAGE;
        });
        commandLine.setExecutionExceptionHandler((e, failedCommandLine, parseResult) -> {
            PrintWriter err = failedCommandLine.getErr();
            if (e instanceof AdminFailure failure) {
                err.println("maildeck: " + failure.getMessage());
                err.flush();
                return failure.exitCode();
            }
            if (e instanceof AccountRefused refused) {
                err.println("maildeck: " + refused.getMessage());
                err.flush();
                return refused.usage() ? AdminFailure.USAGE : AdminFailure.REFUSED;
            }
            // A bug, not a refusal: still one line, but with what is needed to report it.
            err.println("maildeck: internal error: " + e);
            err.flush();
            return AdminFailure.REFUSED;
        });
        return commandLine.execute(args);
    }

    /** Picocli's message, without the argument index, which counts the --conf that bin/maildeck adds. */
    private static String describe(ParameterException e) {
        String message = e.getMessage();
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            message = e.getCommandLine().getSubcommands().isEmpty()
                ? "unexpected argument " + unmatched.getUnmatched().stream().map(arg -> "'" + arg + "'").collect(Collectors.joining(" "))
                : "unknown command '" + unmatched.getUnmatched().get(0) + "'";
        }
        return message.isEmpty() ? message : Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }
}
