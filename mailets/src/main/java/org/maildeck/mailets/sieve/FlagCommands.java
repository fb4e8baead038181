package org.maildeck.mailets.sieve;

import java.util.List;

import org.apache.jsieve.Arguments;
import org.apache.jsieve.Block;
import org.apache.jsieve.SieveContext;
import org.apache.jsieve.StringListArgument;
import org.apache.jsieve.commands.AbstractCommand;
import org.apache.jsieve.exception.SieveException;
import org.apache.jsieve.mail.MailAdapter;

/**
 * RFC 5232's {@code setflag}, {@code addflag} and {@code removeflag} on the internal variable (the
 * form without a variable name: jSieve has no {@code variables}), registered with jSieve by class
 * name. jSieve's {@code require} knows an extension only as a command or test of that name, so
 * {@link Extension} stands for {@code "imap4flags"} itself and refuses to be used as a command.
 */
final class FlagCommands {

    private FlagCommands() {
    }

    /** The commands, by the name scripts use. */
    static final List<Class<? extends AbstractCommand>> ALL = List.of(SetFlag.class, AddFlag.class, RemoveFlag.class);

    static String nameOf(Class<? extends AbstractCommand> command) {
        return command.getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    abstract static class FlagCommand extends AbstractCommand {

        @Override
        protected void validateArguments(Arguments arguments, SieveContext context) throws SieveException {
            if (arguments.getArgumentList().size() != 1 || !(arguments.getArgumentList().get(0) instanceof StringListArgument)) {
                throw context.getCoordinate().syntaxException("expects one string list of flags (no variable name: "
                    + "\"variables\" is not supported)");
            }
        }

        @Override
        protected Object executeBasic(MailAdapter mail, Arguments arguments, Block block, SieveContext context) {
            apply(((RecipientMailAdapter) mail).flags(), ((StringListArgument) arguments.getArgumentList().get(0)).getList());
            return null;
        }

        abstract void apply(SieveFlags flags, List<String> values);
    }

    public static final class SetFlag extends FlagCommand {
        @Override
        void apply(SieveFlags flags, List<String> values) {
            flags.set(values);
        }
    }

    public static final class AddFlag extends FlagCommand {
        @Override
        void apply(SieveFlags flags, List<String> values) {
            flags.add(values);
        }
    }

    public static final class RemoveFlag extends FlagCommand {
        @Override
        void apply(SieveFlags flags, List<String> values) {
            flags.remove(values);
        }
    }

    /** {@code require "imap4flags"}; not a command. */
    public static final class Extension extends AbstractCommand {
        @Override
        protected Object executeBasic(MailAdapter mail, Arguments arguments, Block block, SieveContext context) throws SieveException {
            throw context.getCoordinate().syntaxException("imap4flags is an extension, not a command");
        }
    }
}
