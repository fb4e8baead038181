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
 * form without a variable name), registered with jSieve by class
 * name ({@code "imap4flags"} itself is a {@link RequiredName}).
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
                throw context.getCoordinate().syntaxException("expects one string list of flags (the form with a variable "
                    + "name is not supported)");
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
}
