package org.maildeck.mailets.sieve;

import java.util.ArrayList;
import java.util.List;

import org.apache.jsieve.Argument;
import org.apache.jsieve.Arguments;
import org.apache.jsieve.CommandManager;
import org.apache.jsieve.ExecutableCommand;
import org.apache.jsieve.StringListArgument;
import org.apache.jsieve.TestManager;
import org.apache.jsieve.exception.LookupException;
import org.apache.jsieve.exception.SieveException;
import org.apache.jsieve.mail.MailAdapter;
import org.apache.jsieve.tests.ExecutableTest;

/**
 * The one place RFC 5229's {@code ${...}} is expanded: the command and test managers jSieve asks
 * for each command and test as it runs it hand out the command or test wrapped so that its
 * string arguments are expanded with the run's current variables first.
 *
 * <p>Why here: jSieve builds its whole tree of commands, tests and strings before it runs the
 * first command ({@code SieveParserVisitorImpl} reads each string once, into a
 * {@link StringListArgument}), so a string cannot be expanded where it is read, only where it is
 * used; and every command and test is run through {@link CommandManager#getCommand} and
 * {@link TestManager#getTest}, which a {@code SieveFactory} takes in its constructor. Tags and
 * numbers are never expanded; nested tests are expanded when they run. {@code set} implements
 * {@link Unexpanded}: it expands its value itself and its name never.</p>
 */
final class VariableExpansion {

    private VariableExpansion() {
    }

    /** A command that expands (or not) its own arguments. */
    interface Unexpanded {
    }

    static CommandManager commands(CommandManager jsieve) {
        return new CommandManager() {
            @Override
            public ExecutableCommand getCommand(String name) throws LookupException {
                ExecutableCommand command = jsieve.getCommand(name);
                if (command instanceof Unexpanded) {
                    return command;
                }
                return (mail, arguments, block, context) -> command.execute(mail, expanded(mail, arguments), block, context);
            }

            @Override
            public boolean isCommandSupported(String name) {
                return jsieve.isCommandSupported(name);
            }

            @Override
            public List<String> getExtensions() {
                return jsieve.getExtensions();
            }
        };
    }

    static TestManager tests(TestManager jsieve) {
        return new TestManager() {
            @Override
            public ExecutableTest getTest(String name) throws LookupException {
                ExecutableTest test = jsieve.getTest(name);
                return (mail, arguments, context) -> test.execute(mail, expanded(mail, arguments), context);
            }

            @Override
            public List<String> getExtensions() {
                return jsieve.getExtensions();
            }
        };
    }

    private static Arguments expanded(MailAdapter mail, Arguments arguments) throws SieveException {
        if (!(mail instanceof RecipientMailAdapter run) || !run.variables().required()) {
            return arguments;
        }
        List<Argument> expanded = new ArrayList<>(arguments.getArgumentList().size());
        for (Argument argument : arguments.getArgumentList()) {
            expanded.add(argument instanceof StringListArgument strings ? expanded(run.variables(), strings) : argument);
        }
        return new Arguments(expanded, arguments.getTestList());
    }

    private static StringListArgument expanded(SieveVariables variables, StringListArgument strings) throws SieveException {
        List<String> expanded = new ArrayList<>(strings.getList().size());
        for (String string : strings.getList()) {
            expanded.add(variables.expand(string));
        }
        return new StringListArgument(expanded);
    }
}
