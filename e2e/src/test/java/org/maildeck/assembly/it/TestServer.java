package org.maildeck.assembly.it;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The running server of an end-to-end test class, and the one place that makes its users.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final TestServer server = TestServer.shared();
 * ...
 * String user = server.newUser("alice", "example.test");   // alice-1a2b3c4d@example.test, password PASSWORD
 * </pre>
 *
 * <p>A server start costs 7 to 9 seconds of two busy cores, so classes that only add their own
 * domains and users and talk to the server share one: {@link #shared(Configuration)} hands every
 * class of a test JVM (a Failsafe fork runs its classes one after the other) that asks for the same
 * {@link Configuration} the same instance, started by the first and stopped when the JVM exits.
 * A class on a shared server must not depend on what other classes did to it: it makes its users
 * with {@link #newUser}, unique per call, and never asserts on the whole server (all users, the
 * whole mail root, server-wide counters).
 *
 * <p>A test on a shared server may stop, kill -9 or restart it (or its clamd) and must leave it
 * serving with the same configuration: the classes of a fork run one after the other, so no other
 * class uses it meanwhile, and a restart of the shared server spares the first start that a server
 * of its own would cost. Should a failed test leave it down, the next class that asks for it
 * starts it again.
 *
 * <p>{@link #own} gives a class an instance of its own, started before its first test and closed
 * after its last, for tests that change the server in ways others would see: edit its
 * configuration, route server-wide addresses (postmaster), count server-wide things, or compare
 * the whole instance tree before and after.
 */
public final class TestServer implements BeforeAllCallback, AfterAllCallback {

    /** The password of the users {@link #newUser(String, String)} makes. */
    public static final String PASSWORD = "secret-Pa55";

    /**
     * A configuration that classes may share a server for, identified by its name: two classes
     * sharing a server must ask for the same constant (the edits of a configuration cannot be
     * compared, so a second configuration with a name already taken is refused).
     */
    public record Configuration(String name, MaildeckInstance.ConfEdit edit) {
        /** The shipped configuration, as {@link MaildeckInstance#create()} makes it. */
        public static final Configuration SHIPPED = new Configuration("shipped", (fileName, content) -> content);
    }

    /** The shared instances of this test JVM, by configuration name. */
    private static final Map<String, Shared> SHARED = new ConcurrentHashMap<>();

    private final Configuration sharedConfiguration;
    private final Supplier<MaildeckInstance> ownInstance;
    private MaildeckInstance instance;
    private WebAdmin webAdmin;
    /** Domains known to exist on the instance, so that each is added once. */
    private Set<String> domains;

    private TestServer(Configuration sharedConfiguration, Supplier<MaildeckInstance> ownInstance) {
        this.sharedConfiguration = sharedConfiguration;
        this.ownInstance = ownInstance;
    }

    /** The shipped configuration's server, shared with the other classes of this JVM that ask for it. */
    public static TestServer shared() {
        return shared(Configuration.SHIPPED);
    }

    /** The server of {@code configuration}, shared with the other classes of this JVM that ask for it. */
    public static TestServer shared(Configuration configuration) {
        return new TestServer(configuration, null);
    }

    /** A server of the class's own with the shipped configuration; see the class comment for when. */
    public static TestServer own() {
        return own(MaildeckInstance::create);
    }

    /** A server of the class's own with its configuration files through {@code edit}. */
    public static TestServer own(MaildeckInstance.ConfEdit edit) {
        return own(() -> MaildeckInstance.create(edit));
    }

    /**
     * A server of the class's own made by {@code created} (not yet started: e.g. with spamd, a
     * mail root elsewhere or other JVM options), started before the class's first test.
     */
    public static TestServer own(Supplier<MaildeckInstance> created) {
        return new TestServer(null, created);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        ServerStarts.inClass(context.getRequiredTestClass());
        if (sharedConfiguration == null) {
            instance = ownInstance.get().start();
            domains = ConcurrentHashMap.newKeySet();
        } else {
            Shared shared = SHARED.computeIfAbsent(sharedConfiguration.name(), name -> Shared.start(sharedConfiguration));
            if (shared.configuration != sharedConfiguration) {
                throw new IllegalStateException("two shared configurations named " + sharedConfiguration.name());
            }
            instance = shared.instance;
            domains = shared.domains;
            if (!instance.isRunning()) {
                // an earlier class stopped or killed it and failed before it could start it again
                instance.start();
            }
        }
        webAdmin = new WebAdmin(instance);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // a shared instance outlives the class: the next class of this JVM may ask for it
        if (sharedConfiguration == null && instance != null) {
            instance.close();
        }
    }

    /** The running instance (from the class's first test on). */
    public MaildeckInstance instance() {
        if (instance == null) {
            throw new IllegalStateException("no server yet: register TestServer with @RegisterExtension on a static field");
        }
        return instance;
    }

    /** The port of one listener of the instance ({@link MaildeckInstance#port(String)}). */
    public int port(String listener) {
        return instance().port(listener);
    }

    /** WebAdmin of the instance, authenticated as the admin commands are. */
    public WebAdmin webAdmin() {
        instance();
        return webAdmin;
    }

    /** Adds {@code domain} unless this instance has it already (an earlier class may have added it). */
    public TestServer domain(String domain) {
        if (domains.add(domain)) {
            webAdmin().addDomain(domain);
        }
        return this;
    }

    /**
     * A new user {@code <prefix>-<8 random hex digits>@<domain>} with {@link #PASSWORD}, its
     * domain added when missing: unique, so that no two tests (of any class on the instance)
     * see each other's mail.
     */
    public String newUser(String prefix, String domain) {
        String address = prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@" + domain;
        domain(domain).webAdmin().addUser(address, PASSWORD);
        return address;
    }

    /** One shared instance: started once, stopped when the test JVM exits. */
    private record Shared(Configuration configuration, MaildeckInstance instance, Set<String> domains) {

        /** How long the shutdown hook waits for the killed server to be gone: Surefire halts its forks 30 s after the tests. */
        private static final Duration STOP = Duration.ofSeconds(20);

        static Shared start(Configuration configuration) {
            // its keystore generated by bin/maildeck: classes on it test the generated one (TlsListenersIT)
            MaildeckInstance instance = MaildeckInstance.create(configuration.edit()).generatingItsKeystore().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(instance), "stop shared maildeck " + configuration.name()));
            return new Shared(configuration, instance, ConcurrentHashMap.newKeySet());
        }

        /**
         * SIGKILL, as {@link MaildeckInstance#close()} ends the instances of a class: nothing reads
         * the shared server after the JVM's last class, and its clean stop (SIGTERM, 3 s and
         * 0.3-0.4 CPU-s) held the fork's exit, the last of which ends the run. Waited for (up to
         * {@link #STOP}): a server left behind by a test JVM would hold its ports and memory until
         * the machine reboots.
         */
        private static void stop(MaildeckInstance instance) {
            try {
                instance.accountEnd();
                ProcessHandle.of(instance.pid()).ifPresent(process -> {
                    process.destroyForcibly();
                    try {
                        process.onExit().get(STOP.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (Exception slowOrInterrupted) {
                        // the kill is pending; the JVM ends either way
                    }
                });
            } catch (RuntimeException noPidFile) {
                // never started or already stopped
            }
            instance.close();
        }
    }
}
