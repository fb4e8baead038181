package org.maildeck.mailets.sieve;

import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

import org.apache.jsieve.ConfigurationManager;
import org.apache.jsieve.SieveConfigurationException;
import org.apache.jsieve.SieveFactory;
import org.apache.jsieve.parser.generated.ASTblock;
import org.apache.jsieve.parser.generated.ASTtest;
import org.apache.jsieve.parser.generated.Node;
import org.apache.jsieve.parser.generated.ParseException;

/**
 * jSieve 0.8 with the extensions Maildeck adds through jSieve's own extension point, its maps
 * of command, test and comparator names to classes: {@code imap4flags}, {@code variables}
 * (RFC 5229: {@code set}, {@code string}, {@code ${...}} in every string, by
 * {@link VariableExpansion}), {@code relational} (RFC 5231), {@code subaddress} (RFC 5233),
 * {@code copy} (RFC 3894), {@code ereject} (RFC 5429), {@code mailbox} (RFC 5490), and the
 * comparators with a bounded {@code :matches} ({@link BoundedGlob}).
 *
 * <p>Parsing is bounded too: jSieve's parser and validator recurse once per nesting level, so a
 * script of a hundred thousand {@code {} or {@code not} would overflow the delivery thread's
 * stack. A script nested deeper than {@value #MAX_NESTING} blocks or tests (Pigeonhole's
 * limit) is refused, and a stack overflow while parsing is a syntax error, not a crash.</p>
 *
 * <p>Public so that whatever checks a script before storing it (ManageSieve's
 * {@code CHECKSCRIPT}) can accept and refuse what delivery runs and refuses.</p>
 */
public final class ExtendedSieveFactory extends SieveFactory {

    static final int MAX_NESTING = 32;

    private static final Map<String, Class<?>> COMMANDS = Map.ofEntries(
        Map.entry("require", RequireCommand.class),
        Map.entry("fileinto", FileIntoCommand.class),
        Map.entry("redirect", RedirectCommand.class),
        Map.entry("ereject", ERejectCommand.class),
        Map.entry("set", SetCommand.class),
        Map.entry("variables", RequiredName.class),
        Map.entry("relational", RequiredName.class),
        Map.entry("subaddress", RequiredName.class),
        Map.entry("copy", RequiredName.class),
        Map.entry("mailbox", RequiredName.class),
        Map.entry("imap4flags", RequiredName.class));
    private static final Map<String, Class<?>> TESTS = Map.of(
        "header", HeaderTest.class,
        "address", AddressTest.class,
        "envelope", EnvelopeTest.class,
        "string", StringTest.class,
        "mailboxexists", MailboxExistsTest.class);
    private static final Map<String, Class<?>> COMPARATORS = Map.of(
        "i;ascii-casemap", BoundedAsciiCasemap.class,
        "i;octet", BoundedOctet.class,
        "i;ascii-numeric", NumericComparator.class);

    private ExtendedSieveFactory(ConfigurationManager configuration) {
        super(VariableExpansion.commands(configuration.getCommandManager()), configuration.getComparatorManager(),
            VariableExpansion.tests(configuration.getTestManager()));
    }

    public static ExtendedSieveFactory create() throws SieveConfigurationException {
        ConfigurationManager configuration = new ConfigurationManager();
        COMMANDS.forEach((name, command) -> configuration.getCommandMap().put(name, command.getName()));
        for (Class<?> command : FlagCommands.ALL) {
            configuration.getCommandMap().put(FlagCommands.nameOf(command.asSubclass(org.apache.jsieve.commands.AbstractCommand.class)),
                command.getName());
        }
        TESTS.forEach((name, test) -> configuration.getTestMap().put(name, test.getName()));
        COMPARATORS.forEach((name, comparator) -> configuration.getComparatorMap().put(name, comparator.getName()));
        return new ExtendedSieveFactory(configuration);
    }

    @Override
    public Node parse(InputStream script) throws ParseException {
        Node start;
        try {
            start = super.parse(script);
        } catch (StackOverflowError tooDeep) {
            throw new ParseException("the script is nested too deeply (more than " + MAX_NESTING + " blocks or tests)");
        }
        refuseDeepNesting(start);
        return start;
    }

    /** Walks the tree without recursion, counting the blocks and the tests each node is in. */
    private static void refuseDeepNesting(Node start) throws ParseException {
        record Nested(Node node, int blocks, int tests) {
        }
        Deque<Nested> pending = new ArrayDeque<>();
        pending.push(new Nested(start, 0, 0));
        while (!pending.isEmpty()) {
            Nested at = pending.pop();
            int blocks = at.blocks() + (at.node() instanceof ASTblock ? 1 : 0);
            int tests = at.tests() + (at.node() instanceof ASTtest ? 1 : 0);
            if (blocks > MAX_NESTING || tests > MAX_NESTING) {
                throw new ParseException("the script is nested too deeply (more than " + MAX_NESTING + " "
                    + (blocks > MAX_NESTING ? "blocks" : "tests") + ")");
            }
            for (int child = 0; child < at.node().jjtGetNumChildren(); child++) {
                pending.push(new Nested(at.node().jjtGetChild(child), blocks, tests));
            }
        }
    }
}
