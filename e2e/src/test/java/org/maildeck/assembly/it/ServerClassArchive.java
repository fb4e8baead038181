package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A class-data sharing archive (the JDK's dynamic AppCDS) of the test servers' classes, so that
 * a server start reads James's, Guice's, Camel's and ActiveMQ's classes already parsed and
 * verified instead of loading them from the jars: the ITs start about a hundred servers, and a
 * start is mostly class loading (measured on two loaded cores: 15-16 s without the archive,
 * 7-10 s with it). The server's code and configuration are the same; only the JVM's start-up
 * work is cached.
 *
 * <p>The first test JVM that asks makes it, once per distribution: it starts a throwaway server
 * with {@code -XX:ArchiveClassesAtExit}, stops it cleanly (the JVM writes the archive as it exits)
 * and moves the file into place; a file lock keeps the other forks from making a second one. The
 * making runs in a thread of its own: the test that asked, like the other forks' tests, starts its
 * server without the archive meanwhile instead of waiting for it (the throwaway start without the
 * archive and the ~100 MB dump: 25 s of CPU, 89 s of wall time on the shared two cores, which
 * that fork's first test waited).
 * The throwaway server's database, made by its start and closed by its clean stop, is kept too
 * ({@link FreshDatabase}).
 * The archive's name carries a digest of the distribution's jars and of the JDK, so a rebuilt
 * distribution or another JDK gets a new one; a JVM that finds an archive unusable anyway runs
 * without it ({@code -Xshare:auto}, the default).
 */
final class ServerClassArchive {

    /** The dump happens in the server's exit, after its clean stop; it writes about 100 MB. */
    private static final Duration DUMP = Duration.ofMinutes(3);
    /**
     * How long the throwaway server may take to get ready. Nothing waits for it, and it starts
     * without an archive beside the forks' first servers: with the launcher's 120 s, a CI beside
     * other builds (load 20-34) saw it fail twice (the stop after it outlasted its minute: the
     * dump at exit), and 88 test servers of that run went without the archive: 12.3 CPU-s each,
     * against 9.7 in a run with it (bench/README.md, "Where CI's CPU goes"), ~+230 CPU-s.
     */
    private static final Duration THROWAWAY_START = Duration.ofMinutes(10);
    /**
     * How long a test JVM that ends while the archive is being made waits for it, within the 150 s
     * Failsafe gives a fork to exit (e2e/pom.xml).
     */
    private static final Duration AWAITED_AT_EXIT = Duration.ofSeconds(120);
    /** The JVM's CDS messages (classes it skips, e.g. from signed jars) stay out of the server log. */
    private static final String QUIET = " -Xlog:cds=off -Xlog:cds+dynamic=off";

    /** Whether this JVM tried to make the archive already (one try per JVM, made or not). */
    private static boolean tried;
    /** True while this JVM starts the throwaway server that makes the archive. */
    private static volatile boolean making;

    private ServerClassArchive() {
    }

    /**
     * The JVM options that make a server use the archive ({@code ""} while there is none yet);
     * the first call of the first test JVM starts making it.
     */
    static String javaOptions() {
        if (making) {
            return "";
        }
        Path archive = archiveFile();
        if (!Files.isRegularFile(archive)) {
            makeOnceInTheBackground(archive);
        }
        return Files.isRegularFile(archive) ? " -XX:SharedArchiveFile=" + archive + QUIET : "";
    }

    private static synchronized void makeOnceInTheBackground(Path archive) {
        if (tried) {
            return;
        }
        tried = true;
        making = true;
        Thread maker = new Thread(() -> {
            try {
                makeUnlessAnotherJvmDoes(archive);
            } finally {
                making = false;
            }
        }, "server class archive");
        // the test JVM may end first: see the shutdown hook in make()
        maker.setDaemon(true);
        maker.start();
    }

    private static void makeUnlessAnotherJvmDoes(Path archive) {
        Path lockFile = archive.resolveSibling(archive.getFileName() + ".lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null || Files.isRegularFile(archive)) {
                return;
            }
            make(archive);
        } catch (IOException | OverlappingFileLockException e) {
            // without an archive the servers start as they would anyway, only slower
        }
    }

    private static void make(Path archive) throws IOException {
        Path dumping = archive.resolveSibling(archive.getFileName() + ".dumping");
        Files.deleteIfExists(dumping);
        MaildeckInstance server = MaildeckInstance.create();
        String dumpOption = "-XX:ArchiveClassesAtExit=" + dumping;
        // A test JVM that ends first (a run of one short class) waits for the archive, as the next
        // runs use it; what is still not done then is killed, found by its command line as it may
        // still be starting (no pid file yet): a throwaway server must not outlive the run.
        Thread maker = Thread.currentThread();
        Thread stopIfTheJvmEnds = new Thread(() -> {
            try {
                maker.join(AWAITED_AT_EXIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ProcessHandle.allProcesses()
                .filter(process -> process.info().arguments().map(arguments -> List.of(arguments).contains(dumpOption)).orElse(false))
                .forEach(ProcessHandle::destroyForcibly);
        }, "finish or stop the class archive's throwaway server");
        Runtime.getRuntime().addShutdownHook(stopIfTheJvmEnds);
        try (server) {
            server.javaOptions(MaildeckInstance.SERVER_JVM_OPTIONS + " " + dumpOption + QUIET).startTimeout(THROWAWAY_START).start();
            ProcessHandle process = ProcessHandle.of(server.pid()).orElseThrow();
            ServerStarts.ending(process.pid());
            process.destroy();
            process.onExit().get(DUMP.toMillis(), TimeUnit.MILLISECONDS);
            // its database, made by this one start and closed by the clean stop, for the next instances
            FreshDatabase.keepFrom(server);
            if (Files.size(dumping) > 0) {
                Files.move(dumping, archive, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (Exception notMade) {
            // said, because every server start of the run is then slower (a throwaway server that
            // failed to start once left a whole run without the archive, silently)
            System.out.println("[ServerClassArchive] not made, the servers start without it: " + notMade);
            Files.deleteIfExists(dumping);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopIfTheJvmEnds);
            } catch (IllegalStateException jvmEnding) {
                // the hook runs or ran
            }
        }
    }

    /**
     * {@code <testWork>/<prefix>-<the archive's digest>}: for what is kept once per distribution
     * and JDK beside the archive ({@link FreshDatabase}).
     */
    static Path besideTheArchive(String prefix) {
        Path archive = archiveFile();
        String name = archive.getFileName().toString();
        return archive.resolveSibling(prefix + name.substring("server-classes".length(), name.length() - ".jsa".length()));
    }

    /** {@code <testWork>/server-classes-<digest of the distribution's jars and the JDK>.jsa}. */
    private static Path archiveFile() {
        Path lib = MaildeckInstance.distribution().resolve("lib");
        try (Stream<Path> jars = Files.list(lib)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((System.getProperty("java.home") + "\n" + System.getProperty("java.vm.version") + "\n").getBytes(UTF_8));
            for (Path jar : (Iterable<Path>) jars.sorted()::iterator) {
                digest.update((jar.getFileName() + " " + Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis() + "\n").getBytes(UTF_8));
            }
            String name = "server-classes-" + HexFormat.of().formatHex(digest.digest()).substring(0, 16) + ".jsa";
            return Files.createDirectories(MaildeckInstance.testWork()).toAbsolutePath().resolve(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
