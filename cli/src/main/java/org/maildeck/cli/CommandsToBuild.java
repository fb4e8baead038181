package org.maildeck.cli;

import java.util.List;
import java.util.Optional;

import picocli.CommandLine.Command;

/**
 * Which of the admin commands picocli has to build for one invocation. Building a command's
 * model means reflecting over its class and each of its subcommand methods (their annotations,
 * parameters and types); for the ten commands that was half of {@code maildeck user list}'s
 * Java time, in a JVM that lives for half a second (bench/README.md, "bench/admin-command").
 * The command named on the command line is the only one that runs, so it is the only one
 * built; usage errors, help and anything that names no known command get all of them, so that
 * their messages (the command list, "unknown command") stay as they were.
 */
final class CommandsToBuild {

    /** Every admin command, in the order {@code maildeck --help} lists them. */
    static final List<Class<?>> ALL = List.of(DomainCommand.class, UserCommand.class, AliasCommand.class,
        QuarantineCommand.class, QueueCommand.class, StatusCommand.class, CheckCommand.class, DkimCommand.class,
        ConsoleAdminCommand.class, SieveCommand.class);

    private CommandsToBuild() {
    }

    /** The commands to build for ARGS, the arguments as bin/maildeck passes them (--conf DIR first). */
    static List<Class<?>> forArguments(String... args) {
        return named(firstCommandWord(args)).map(List::<Class<?>>of).orElse(ALL);
    }

    // The first argument that is neither one of MaildeckAdmin's own options nor the value of
    // --conf; none when help is asked for before any command word.
    private static Optional<String> firstCommandWord(String... args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--conf")) {
                i++;
            } else if (arg.startsWith("-")) {
                if (!arg.startsWith("--conf=")) {
                    return Optional.empty();
                }
            } else {
                return Optional.of(arg);
            }
        }
        return Optional.empty();
    }

    private static Optional<Class<?>> named(Optional<String> word) {
        return word.flatMap(name -> ALL.stream()
            .filter(command -> command.getAnnotation(Command.class).name().equals(name))
            .findFirst());
    }
}
