package org.maildeck.assembly;

import java.io.IOException;
import java.nio.file.Path;

import org.apache.james.ExtraProperties;
import org.apache.james.GuiceJamesServer;
import org.maildeck.adminaccess.AdminKeyPair;
import org.maildeck.assembly.contentfilter.ScanRouteLifecycle;
import org.maildeck.assembly.data.EmbeddedDerby;
import org.maildeck.assembly.liveness.SystemdWatchdog;
import org.maildeck.assembly.mailbox.MaildirMaintenanceProbe;
import org.maildeck.assembly.postmaster.PostmasterCheck;
import org.maildeck.assembly.queue.QueueStoreProbe;
import org.maildeck.assembly.startup.DroppedErrors;
import org.maildeck.assembly.startup.ProtocolListeners;
import org.maildeck.assembly.startup.ServerName;
import org.maildeck.maildir.james.MaildirMaintenance;
import org.maildeck.overrides.OverriddenJamesClasses;
import org.maildeck.spool.EmbeddedBroker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the Maildeck server in the foreground: {@code --conf DIR --data DIR}, or
 * {@code MAILDECK_CONF}/{@code MAILDECK_DATA}/{@code MAILDECK_HOME} from the environment.
 */
public final class MaildeckServerMain {

    private static final Logger LOGGER = LoggerFactory.getLogger("org.maildeck.server");

    private MaildeckServerMain() {
    }

    /** Guice's switch for the classes it generates (InternalFlags); read once, when Guice is first used. */
    static final String GUICE_BYTECODE_GENERATION = "guice_bytecode_gen_option";

    public static void main(String[] args) throws Exception {
        long startedAt = System.nanoTime();
        withoutGuiceGeneratedClasses();
        ServerLocations locations;
        try {
            locations = ServerLocations.resolve(args, System.getenv());
            locations.check();
            OverriddenJamesClasses.requireLoadedFromHere(MaildeckServerMain.class.getClassLoader());
        } catch (Exception e) {
            System.err.println("maildeck: " + e.getMessage());
            System.exit(2);
            return;
        }
        prepareEmbeddedStores(locations);
        prepareAdminKey(locations);
        // after jvm.properties, where the admin may name the server; before any file refers to it
        ServerName.establish();
        DroppedErrors.install();
        LOGGER.info("starting Maildeck: {}", locations);

        GuiceJamesServer server = MaildeckServer.compose(locations);
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server), "maildeck-shutdown"));

        server.getProbe(PostmasterCheck.class).warnIfNowhereToGo();
        server.getProbe(ProtocolListeners.class).listeners().forEach(LOGGER::info);
        LOGGER.info("ready in {} ms", (System.nanoTime() - startedAt) / 1_000_000);
        server.getProbe(SystemdWatchdog.class).serverReady();
    }

    private static void stop(GuiceJamesServer server) {
        LOGGER.info("stopping");
        server.getProbe(SystemdWatchdog.class).serverStopping();
        DroppedErrors.serverStopping();
        server.getProbe(ProtocolListeners.class).closeAll();
        EmbeddedBroker queueStore = server.getProbe(QueueStoreProbe.class).broker();
        MaildirMaintenance maildir = server.getProbe(MaildirMaintenanceProbe.class).maintenance();
        ScanRouteLifecycle scanRoute = server.getProbe(ScanRouteLifecycle.class);
        server.stop();
        scanRoute.stop();
        maildir.stop();
        try {
            queueStore.stop();
        } catch (Exception e) {
            LOGGER.error("mail queue store did not close cleanly", e);
        }
        EmbeddedDerby.shutdown();
        LOGGER.info("stopped");
    }

    // WebAdmin checks tokens with the public half from the start: made here, before its configuration is read.
    private static void prepareAdminKey(ServerLocations locations) {
        Path conf = locations.confDirectory();
        try {
            if (AdminKeyPair.ensure(conf)) {
                LOGGER.info("generated the WebAdmin admin key in {}", conf.resolve(AdminKeyPair.PRIVATE_KEY_FILE));
            }
        } catch (IOException e) {
            System.err.println("maildeck: cannot make the WebAdmin admin key in " + conf + ": " + e.getMessage()
                + " (installed: run /usr/share/maildeck/bin/maildeck-setup as root)");
            System.exit(2);
        }
    }

    // Guice generates a class per injected constructor and provider method (497 "FastClassByGuice"
    // classes at every start: ASM, defined and verified anew each time, none of them in the class
    // archive) to call them without reflection, and for method interception, which neither James
    // nor Maildeck uses. Without them it calls each constructor through reflection, once per
    // singleton: start CPU about 0.3 s less and idle RSS 2-4 MiB less (bench/README.md, "Start,
    // round 4"). An admin's own -Dguice_bytecode_gen_option=ENABLED wins.
    private static void withoutGuiceGeneratedClasses() {
        if (System.getProperty(GUICE_BYTECODE_GENERATION) == null) {
            System.setProperty(GUICE_BYTECODE_GENERATION, "DISABLED");
        }
    }

    // Derby and James's jvm.properties are set up through system properties, which must be in
    // place before the first class of either is loaded.
    private static void prepareEmbeddedStores(ServerLocations locations) {
        Path conf = locations.confDirectory();
        System.setProperty(ExtraProperties.OVERRIDE_PROPERTY, conf.resolve("jvm.properties").toString());
        ExtraProperties.initialize();
        System.setProperty("derby.system.home", locations.dataDirectory().toString());
        System.setProperty("derby.stream.error.file", locations.dataPath("derby.log").toString());
    }
}
