package org.maildeck.mailets.sieve;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.apache.jsieve.Argument;
import org.apache.jsieve.Arguments;
import org.apache.jsieve.SieveContext;
import org.apache.jsieve.TagArgument;
import org.apache.jsieve.exception.SieveException;

/**
 * The tags extensions add to jSieve's action commands ({@code :copy} of RFC 3894, {@code :create}
 * of RFC 5490), taken off the arguments so that jSieve's command sees the arguments it knows.
 */
record ActionTags(Set<String> tags, Arguments rest) {

    static ActionTags parse(Arguments arguments, SieveContext context, Set<String> allowed) throws SieveException {
        Set<String> tags = new LinkedHashSet<>();
        List<Argument> rest = new ArrayList<>();
        for (Argument argument : arguments.getArgumentList()) {
            if (argument instanceof TagArgument tag) {
                String name = tag.getTag().toLowerCase(Locale.ROOT);
                if (!allowed.contains(name) || !tags.add(name)) {
                    throw context.getCoordinate().syntaxException("unexpected tag " + tag.getTag());
                }
            } else {
                rest.add(argument);
            }
        }
        return new ActionTags(tags, new Arguments(rest, arguments.getTestList()));
    }

    boolean has(String tag) {
        return tags.contains(tag);
    }

    /** Runs jSieve's command on the other arguments; with {@code :copy}, the implicit keep is as it was before. */
    Object run(SieveContext context, Command command) throws SieveException {
        boolean keepBefore = context.getCommandStateManager().isImplicitKeep();
        Object result = command.execute(rest);
        if (has(":copy")) {
            context.getCommandStateManager().setImplicitKeep(keepBefore);
        }
        return result;
    }

    interface Command {
        Object execute(Arguments arguments) throws SieveException;
    }
}
