package org.maildeck.mailets.sieve;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.jsieve.Argument;
import org.apache.jsieve.Arguments;
import org.apache.jsieve.Block;
import org.apache.jsieve.SieveContext;
import org.apache.jsieve.StringListArgument;
import org.apache.jsieve.TagArgument;
import org.apache.jsieve.commands.AbstractCommand;
import org.apache.jsieve.exception.SieveException;
import org.apache.jsieve.mail.MailAdapter;

/**
 * RFC 5229's {@code set [MODIFIER...] <name> <value>}: the value is expanded, then changed by
 * the modifiers in the RFC's order of precedence ({@code :lower}/{@code :upper} before
 * {@code :lowerfirst}/{@code :upperfirst} before {@code :quotewildcard} before {@code :length}),
 * whatever order the script names them in. The name is a plain identifier, never expanded.
 */
public final class SetCommand extends AbstractCommand implements VariableExpansion.Unexpanded {

    /** Each modifier's precedence: the higher applies first; two of one precedence are an error. */
    private static final Map<String, Integer> PRECEDENCE = Map.of(
        ":lower", 40, ":upper", 40, ":lowerfirst", 30, ":upperfirst", 30, ":quotewildcard", 20, ":length", 10);

    @Override
    protected void validateArguments(Arguments arguments, SieveContext context) throws SieveException {
        modifiers(arguments, context);
        List<String> strings = strings(arguments, context);
        if (!SieveVariables.isIdentifier(strings.get(0))) {
            throw context.getCoordinate().syntaxException("set: \"" + strings.get(0) + "\" is not a variable name");
        }
    }

    @Override
    protected Object executeBasic(MailAdapter mail, Arguments arguments, Block block, SieveContext context) throws SieveException {
        SieveVariables variables = ((RecipientMailAdapter) mail).variables();
        List<String> strings = strings(arguments, context);
        String value = variables.expand(strings.get(1));
        for (String modifier : modifiers(arguments, context)) {
            value = apply(modifier, value);
        }
        variables.set(strings.get(0), value);
        return null;
    }

    private static String apply(String modifier, String value) {
        return switch (modifier) {
            case ":lower" -> value.toLowerCase(Locale.ROOT);
            case ":upper" -> value.toUpperCase(Locale.ROOT);
            case ":lowerfirst" -> value.isEmpty() ? value : value.substring(0, 1).toLowerCase(Locale.ROOT) + value.substring(1);
            case ":upperfirst" -> value.isEmpty() ? value : value.substring(0, 1).toUpperCase(Locale.ROOT) + value.substring(1);
            case ":quotewildcard" -> value.replaceAll("([*?\\\\])", "\\\\$1");
            case ":length" -> String.valueOf(value.codePointCount(0, value.length()));
            default -> throw new IllegalStateException(modifier);
        };
    }

    /** The modifiers, highest precedence first. */
    private static List<String> modifiers(Arguments arguments, SieveContext context) throws SieveException {
        List<String> modifiers = new ArrayList<>();
        for (Argument argument : arguments.getArgumentList()) {
            if (argument instanceof TagArgument tag) {
                String name = tag.getTag().toLowerCase(Locale.ROOT);
                Integer precedence = PRECEDENCE.get(name);
                if (precedence == null) {
                    throw context.getCoordinate().syntaxException("set: unknown modifier " + tag.getTag());
                }
                if (modifiers.stream().anyMatch(other -> PRECEDENCE.get(other).equals(precedence))) {
                    throw context.getCoordinate().syntaxException("set: " + tag.getTag() + " with another modifier of its precedence");
                }
                modifiers.add(name);
            }
        }
        modifiers.sort((a, b) -> PRECEDENCE.get(b) - PRECEDENCE.get(a));
        return modifiers;
    }

    private static List<String> strings(Arguments arguments, SieveContext context) throws SieveException {
        List<String> strings = new ArrayList<>();
        for (Argument argument : arguments.getArgumentList()) {
            if (argument instanceof StringListArgument list) {
                if (list.getList().size() != 1) {
                    throw context.getCoordinate().syntaxException("set: the name and the value are single strings");
                }
                strings.add(list.getList().get(0));
            } else if (!(argument instanceof TagArgument)) {
                throw context.getCoordinate().syntaxException("set: unexpected argument " + argument);
            }
        }
        if (strings.size() != 2) {
            throw context.getCoordinate().syntaxException("set expects a name and a value");
        }
        return strings;
    }
}
