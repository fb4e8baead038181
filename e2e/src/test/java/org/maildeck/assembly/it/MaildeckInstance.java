package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.maildeck.adminaccess.AdminKeyPair;
import org.maildeck.adminaccess.AdminToken;
import org.maildeck.antispam.SpamdProcess;
import org.maildeck.antivirus.ClamdProcess;

/**
 * One Maildeck server instance for end-to-end tests: the assembled distribution's
 * {@code bin/maildeck}, run with its own {@code MAILDECK_HOME} and its configuration moved to
 * free loopback ports, so that tests never collide with a dev server. Every listener of the
 * shipped configuration is moved, or the instance is not made: a listener the shipped files no
 * longer bind at its dev port is a broken dev configuration, not a test to skip.
 */
public final class MaildeckInstance implements AutoCloseable {

    /** The dev ports of the shipped configuration, by listener name (TestPorts never hands these out). */
    static final Map<String, Integer> DEV_PORTS = devPorts();

    private final Path distribution;
    private final Path home;
    private Path mailRoot;
    private ClamdProcess clamd;
    private SpamdProcess spamd;
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private String javaOptions = SERVER_JVM_OPTIONS;
    /** The class-data archive bin/maildeck manages for this instance; null: off (see launcher). */
    private Path classArchive;
    /** How long {@code bin/maildeck start} waits for ready; null: the launcher's 120 s. */
    private Duration startTimeout;
    /** The server log, read as it grows. */
    private final ServerLog log;
    /** Whether {@code bin/maildeck} makes this instance's keystore (see {@link #generatingItsKeystore()}). */
    private boolean generatesKeystore;

    /**
     * A copy of the first keystore that {@code bin/maildeck} generated in this test JVM: later
     * instances start with a copy of it, as {@code keytool} makes a key pair and then lists it
     * in two JVMs of 1 to 3 s of CPU together, for each of the hundred instances of a run. The
     * copy's key, certificate and integrity check are protected with one PBE iteration instead
     * of keytool's 10,000 (see {@link #keepGeneratedKeystore}).
     */
    private static volatile Path generatedKeystore;

    /**
     * A copy of the first WebAdmin admin key pair that a server generated in this test JVM (its
     * private and public key files, {@link #ADMIN_KEY_FILES}): later instances start with a copy
     * of it, as a server makes its 2048-bit RSA key pair at its first start, before anything else,
     * and the prime search took ~40% of the sampled CPU of the main thread of a fresh start
     * (0.3-1.5 s, by luck), for each of the hundred instances of a run. Tests of the generated
     * keystore, which also see a fresh instance as an admin does, use
     * {@link #generatingItsKeystore()}, which generates both.
     */
    private static volatile Path generatedAdminKey;
    /** The server's admin key files in its conf directory. */
    private static final List<String> ADMIN_KEY_FILES = List.of(AdminKeyPair.PRIVATE_KEY_FILE, AdminKeyPair.PUBLIC_KEY_FILE);

    /** Instances started and not yet closed in this test JVM, for {@link ServerThreadsOnFailure}. */
    private static final Set<MaildeckInstance> RUNNING = ConcurrentHashMap.newKeySet();

    private MaildeckInstance(Path distribution, Path home) {
        this.distribution = distribution;
        this.home = home;
        this.mailRoot = home.resolve("mail");
        this.log = new ServerLog(home.resolve("var/log/maildeck.out"));
    }

    /** A new instance with the shipped configuration on free ports; not started. */
    public static MaildeckInstance create() {
        return create((fileName, content) -> content);
    }

    /**
     * A new instance whose configuration files went through {@code confEdit} (file name and
     * content, after the port change); not started.
     */
    public static MaildeckInstance create(ConfEdit confEdit) {
        return create(confEdit, false);
    }

    /**
     * As {@link #create(ConfEdit)}, with a spamd of its own on the content filter's route (it
     * takes a few seconds to start, so instances get one only when asked; otherwise spam checks
     * are off).
     */
    public static MaildeckInstance createWithSpamd(ConfEdit confEdit) {
        return create(confEdit, true);
    }

    /** The assembled distribution the instances run; its {@code conf/} is the shipped dev configuration. */
    public static Path distribution() {
        return Path.of(System.getProperty("maildeck.distribution", "target/maildeck-dist"));
    }

    /** Where the instances' homes are made. */
    static Path testWork() {
        return Path.of(System.getProperty("maildeck.testWork", "target/it-work"));
    }

    private static MaildeckInstance create(ConfEdit confEdit, boolean withSpamd) {
        Path distribution = distribution();
        Path work = testWork();
        try {
            Path home = Files.createDirectories(work.resolve("home-" + UUID.randomUUID().toString().substring(0, 8)));
            MaildeckInstance instance = new MaildeckInstance(distribution, home.toAbsolutePath());
            // Every instance scans its mail, and the shipped policy holds mail while clamd is
            // down: each gets a clamd of its own (started in a fraction of a second).
            instance.clamd = ClamdProcess.start(25L * 1024 * 1024, TestPorts.next());
            if (withSpamd) {
                instance.spamd = SpamdProcess.start(TestPorts.next());
            }
            instance.writeConfiguration(confEdit);
            return instance;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A new instance whose Maildir root is {@code root} (maildir.properties), for tests that share
     * the mail with another program that must reach it (Dovecot runs as an unprivileged user).
     */
    public static MaildeckInstance createWithMailRoot(Path root) {
        String setting = "root=" + root.toAbsolutePath();
        MaildeckInstance instance = create((fileName, content) -> fileName.equals("maildir.properties")
            ? content.replaceFirst("(?m)^root=.*$", java.util.regex.Matcher.quoteReplacement(setting))
            : content);
        instance.mailRoot = root.toAbsolutePath();
        return instance;
    }

    /** Edits one configuration file's text for a test. */
    @FunctionalInterface
    public interface ConfEdit {
        String edit(String fileName, String content);
    }

    private void writeConfiguration(ConfEdit confEdit) throws IOException {
        Path conf = Files.createDirectories(home.resolve("conf"));
        for (Map.Entry<String, Integer> entry : DEV_PORTS.entrySet()) {
            ports.put(entry.getKey(), TestPorts.next());
        }
        Set<String> notMoved = new java.util.HashSet<>(DEV_PORTS.keySet());
        // the shipped jmx.properties may leave the connector port to its default (see below)
        notMoved.remove("jmxRmi");
        try (Stream<Path> files = Files.list(distribution.resolve("conf"))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                String content = Files.readString(file, UTF_8);
                for (Map.Entry<String, Integer> entry : DEV_PORTS.entrySet()) {
                    String moved = movePort(name, content, entry.getValue(), ports.get(entry.getKey()));
                    if (!moved.equals(content)) {
                        notMoved.remove(entry.getKey());
                    }
                    content = moved;
                }
                if (name.equals("jmx.properties") && !content.matches("(?s).*(?m:^jmx\\.rmi\\.port\\s*=).*")) {
                    // The shipped file leaves the connector port to its default (registry port - 1),
                    // which on a free registry port may be taken: give it its own free port.
                    content = content + (content.endsWith("\n") ? "" : "\n") + "jmx.rmi.port=" + ports.get("jmxRmi") + "\n";
                }
                if (name.equals("contentfilter.properties")) {
                    content = content.replaceFirst("(?m)^clamd\\.address=.*$", "clamd.address=127.0.0.1:" + clamd.port());
                    content = spamd == null
                        ? content.replaceFirst("(?m)^spamd\\.enabled=.*$", "spamd.enabled=false")
                        : content.replaceFirst("(?m)^spamd\\.address=.*$", "spamd.address=" + spamd.address());
                }
                if (name.equals("usersrepository.xml")) {
                    content = withTestPasswordHashing(content);
                }
                if (name.equals("auththrottle.properties")) {
                    content = withTestLoginDelays(content);
                }
                Files.writeString(conf.resolve(name), confEdit.edit(name, content), UTF_8);
            }
        }
        if (!notMoved.isEmpty()) {
            throw new IllegalStateException("the shipped configuration does not bind these listeners at their dev ports "
                + DEV_PORTS + ": " + notMoved);
        }
    }

    /**
     * Failed logins answered after 20 ms doubling to 80 ms instead of the shipped 1 s to 8 s: the
     * delay also makes an address's next IMAP login wait, and tests that try hostile names log
     * in again at once. Put first, so that a test's own edit of the commented keys below wins
     * (a later key replaces an earlier one); the lockout keeps its shipped values.
     */
    private static String withTestLoginDelays(String content) {
        return "failureDelay=20ms\nmaxFailureDelay=80ms\n" + content;
    }

    /**
     * PBKDF2 with 1000 iterations instead of the shipped 210000: the shipped cost is a few
     * tenths of a second of CPU per login and per password set, and the tests log in and add
     * users thousands of times. The package tests (installer/) install and log in with the
     * shipped setting.
     */
    private static String withTestPasswordHashing(String content) {
        String shipped = "<algorithm>PBKDF2-SHA512-210000-512</algorithm>";
        if (!content.contains(shipped)) {
            throw new IllegalStateException("usersrepository.xml no longer has " + shipped + ": update the tests' setting");
        }
        return content.replace(shipped, "<algorithm>PBKDF2-SHA512-1000-512</algorithm>");
    }

    private static String movePort(String fileName, String content, int devPort, int testPort) {
        if (fileName.endsWith(".properties")) {
            return content.replaceAll("(?m)^((?:jmx\\.port|jmx\\.rmi\\.port|port)\\s*=\\s*)" + devPort + "\\s*$", "$1" + testPort);
        }
        return content.replace("127.0.0.1:" + devPort + "<", "127.0.0.1:" + testPort + "<");
    }

    private static Map<String, Integer> devPorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("smtp", 2525);
        ports.put("submission", 2587);
        ports.put("smtps", 2465);
        ports.put("imap", 2143);
        ports.put("imaps", 2993);
        ports.put("pop3", 2110);
        ports.put("pop3s", 2995);
        ports.put("lmtp", 2424);
        ports.put("managesieve", 24190);
        // the filter port and its next hop (Postfix's reinjection smtpd, not ours)
        ports.put("filterport", 20024);
        ports.put("filterNextHop", 20025);
        ports.put("milter", 28891);
        ports.put("jmx", 9999);
        ports.put("jmxRmi", 9998);
        ports.put("webadmin", 8000);
        ports.put("console", 8080);
        return ports;
    }

    /**
     * {@code Authorization} header value for WebAdmin, as {@code maildeck} commands sign it: an
     * admin token with the instance's admin key (made at its first start), naming {@code admin}.
     */
    public String adminAuthorization(String admin) {
        try {
            return "Bearer " + AdminToken.sign(AdminKeyPair.privateKey(conf()), admin, java.time.Instant.now());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #adminAuthorization(String)} for the tests' own admin, {@code it-admin}. */
    public String adminAuthorization() {
        return adminAuthorization("it-admin");
    }

    public int port(String listener) {
        Integer port = ports.get(listener);
        if (port == null) {
            throw new IllegalArgumentException("no listener " + listener);
        }
        return port;
    }

    /** The dev port of a listener in the shipped configuration (before the instance moved it). */
    public static int devPort(String listener) {
        return DEV_PORTS.get(listener);
    }

    public Path home() {
        return home;
    }

    public Path conf() {
        return home.resolve("conf");
    }

    public Path data() {
        return home.resolve("var");
    }

    /**
     * IMAP commands and literals the server spooled to its temp directory and has not removed,
     * waiting up to {@code grace} for them to go (the files are deleted in the background).
     */
    public List<Path> imapSpoolFilesLeft(Duration grace) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        while (true) {
            List<Path> left = imapSpoolFiles();
            if (left.isEmpty() || System.nanoTime() > deadline) {
                return left;
            }
            Thread.sleep(200);
        }
    }

    private List<Path> imapSpoolFiles() throws IOException {
        Path tmp = data().resolve("tmp");
        if (!Files.isDirectory(tmp)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(tmp)) {
            return files.filter(file -> file.getFileName().toString().startsWith("imap-literal")).toList();
        }
    }

    /** Root of the users' Maildirs: {@code <root>/<domain>/<localpart>/Maildir}. */
    public Path mailRoot() {
        return mailRoot;
    }

    public Path maildir(String user) {
        int at = user.indexOf('@');
        return mailRoot().resolve(user.substring(at + 1)).resolve(user.substring(0, at)).resolve("Maildir");
    }

    /**
     * The server's JVM options instead of the tests' default (still overridden by a
     * {@code MAILDECK_JAVA_OPTS} of the environment), e.g. a small heap for a test that must see
     * memory run out when a limit is missing; call before {@link #start()}.
     */
    public MaildeckInstance javaOptions(String options) {
        this.javaOptions = options;
        return this;
    }

    /**
     * Lets {@code bin/maildeck} generate this instance's keystore (and the server its WebAdmin
     * admin key pair and its database) at its first start, as it does for an admin, instead of the
     * copies of the ones made for an earlier instance that the instances start with otherwise
     * ({@link FreshDatabase}): for tests of the generated keystore itself (its mode, its names)
     * and for the shared servers, where a test may check them. Call before {@link #start()}.
     */
    public MaildeckInstance generatingItsKeystore() {
        this.generatesKeystore = true;
        return this;
    }

    /**
     * Lets {@code bin/maildeck} use the class-data archive {@code file} as it does for an admin
     * (and make it after the first start when there is none), instead of the tests' own archive
     * of {@link ServerClassArchive}; otherwise the launcher's archive is off. Call before
     * {@link #start()}.
     */
    /**
     * Lets {@link #start()} wait {@code timeout} for ready instead of the launcher's 120 s
     * ({@code MAILDECK_START_TIMEOUT}), and a stop after a start that failed as long, for a
     * server that nothing waits for (the throwaway server of {@link ServerClassArchive}).
     */
    public MaildeckInstance startTimeout(Duration timeout) {
        this.startTimeout = timeout;
        return this;
    }

    public MaildeckInstance classArchive(Path file) {
        this.classArchive = file;
        return this;
    }

    /** {@code bin/maildeck start}: returns once the server logged that it is ready. */
    public MaildeckInstance start() {
        Path keystore = conf().resolve("keystore");
        boolean generating = !Files.exists(keystore);
        if (generating && !generatesKeystore && generatedKeystore != null) {
            copyKeystore(generatedKeystore, keystore);
            generating = false;
        }
        boolean generatingAdminKey = !Files.exists(conf().resolve(ADMIN_KEY_FILES.get(0)));
        if (generatingAdminKey && !generatesKeystore && generatedAdminKey != null) {
            copyAdminKey(generatedAdminKey, conf());
            generatingAdminKey = false;
        }
        if (!generatesKeystore) {
            FreshDatabase.seed(this);
        }
        Result result = maildeck(startTimeout == null ? Duration.ofMinutes(3) : startTimeout.plusMinutes(1), null, "start");
        if (result.exitCode() != 0) {
            String log = serverLog();
            // a start that timed out leaves its server running (its pid file kept): stopped here,
            // or it would outlive the suite, as two did when a start was not seen ready
            maildeck(startTimeout == null ? Duration.ofMinutes(1) : startTimeout, null, "stop");
            throw new IllegalStateException("maildeck start failed: " + result + "\n" + log);
        }
        RUNNING.add(this);
        if (generating && generatedKeystore == null) {
            keepGeneratedKeystore(keystore);
        }
        if (generatingAdminKey && generatedAdminKey == null) {
            keepGeneratedAdminKey(conf());
        }
        return this;
    }

    private static synchronized void keepGeneratedAdminKey(Path conf) {
        if (generatedAdminKey == null) {
            Path kept = testWork().toAbsolutePath().resolve("generated-admin-key-" + UUID.randomUUID().toString().substring(0, 8));
            try {
                Files.createDirectories(kept);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            copyAdminKey(conf, kept);
            generatedAdminKey = kept;
        }
    }

    /** The admin key files from directory {@code from} into {@code to}, each keeping its mode (the private key: owner only). */
    private static void copyAdminKey(Path from, Path to) {
        try {
            for (String name : ADMIN_KEY_FILES) {
                Files.copy(from.resolve(name), to.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Keeps {@code keystore} for the next instances, re-encoded by keytool with one PBE iteration
     * where keytool's default is 10,000 (its key, its certificate, its integrity check): a server
     * loads its keystore for each TLS listener, JMX and WebAdmin, early in its start, before
     * much is compiled, and each {@code maildeck} command and test client that trusts the
     * instance loads it again; with the default, that was ~0.6 s of a server start's ~6 s of CPU
     * (measured: four starts each way). The key and certificate are the ones bin/maildeck
     * generated; only their protection in the file changes, as {@link #withTestPasswordHashing}
     * lowers the password hashing cost. Tests of the generated keystore itself use
     * {@link #generatingItsKeystore()}.
     */
    private static synchronized void keepGeneratedKeystore(Path keystore) {
        if (generatedKeystore == null) {
            Path kept = testWork().toAbsolutePath().resolve("generated-keystore-" + UUID.randomUUID().toString().substring(0, 8));
            reencodeKeystore(keystore, kept);
            generatedKeystore = kept;
        }
    }

    private static void reencodeKeystore(Path from, Path to) {
        String password = "maildeck-dev"; // bin/maildeck's; the configuration files name it too
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
            "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
        for (String count : List.of("keyPbeIterationCount", "certPbeIterationCount", "macIterationCount")) {
            command.add("-J-Dkeystore.pkcs12." + count + "=1");
        }
        command.addAll(List.of("-importkeystore", "-noprompt", "-srckeystore", from.toString(), "-srcstoretype", "PKCS12",
            "-srcstorepass", password, "-destkeystore", to.toString(), "-deststoretype", "PKCS12", "-deststorepass", password));
        try {
            Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(keytool.getInputStream().readAllBytes(), UTF_8);
            if (!keytool.waitFor(1, TimeUnit.MINUTES) || keytool.exitValue() != 0) {
                keytool.destroyForcibly();
                throw new IllegalStateException("keytool -importkeystore failed: " + output);
            }
            Files.setPosixFilePermissions(to, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A copy readable by its owner only, as bin/maildeck leaves the keystore it generates. */
    private static void copyKeystore(Path from, Path to) {
        try {
            Files.copy(from, to);
            Files.setPosixFilePermissions(to, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code bin/maildeck stop}: a clean stop, waiting for the process to end. */
    public Result stop() {
        accountEnd();
        return maildeck(Duration.ofMinutes(2), null, "stop");
    }

    /** Kills the server process with SIGKILL and waits until it is gone. */
    public void kill9() {
        long pid = pid();
        ServerStarts.ending(pid);
        ProcessHandle.of(pid).ifPresent(process -> {
            process.destroyForcibly();
            process.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        });
    }

    /**
     * Whether the server process of this instance runs: its pid file names a live Maildeck
     * server (not after a stop, a kill -9 or before the first start).
     */
    public boolean isRunning() {
        if (!Files.exists(data().resolve("maildeck.pid"))) {
            return false;
        }
        try {
            return ProcessHandle.of(pid()).filter(MaildeckInstance::isServer).isPresent();
        } catch (RuntimeException unreadablePidFile) {
            return false;
        }
    }

    public long pid() {
        try {
            return Long.parseLong(Files.readString(data().resolve("maildeck.pid")).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String serverLog() {
        try {
            return log.text();
        } catch (IOException e) {
            return "(no server log: " + e.getMessage() + ")";
        }
    }

    /** Waits until the server log has a line containing {@code text}; fails after {@code timeout}. */
    public void awaitLog(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!serverLog().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no log line with: " + text);
            }
            Thread.sleep(200);
        }
    }

    /** Every mail-log line so far (logger {@code maildeck.mail}), as the logger wrote it (after {@code "maildeck.mail - "}). */
    public List<String> mailLogLines() {
        try {
            return List.copyOf(log.mailLines());
        } catch (IOException noLogYet) {
            return List.of();
        }
    }

    /**
     * The first mail-log line (logger {@code maildeck.mail}) in which {@code pattern} is found, as
     * the logger wrote it (after {@code "maildeck.mail - "}); fails after {@code timeout}.
     */
    public String awaitMailLog(java.util.regex.Pattern pattern, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<String> line = mailLogLines().stream().filter(text -> pattern.matcher(text).find()).findFirst();
            if (line.isPresent()) {
                return line.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no mail-log line matching: " + pattern);
            }
            Thread.sleep(200);
        }
    }

    /**
     * The id of the message quarantined as {@code category} whose content contains {@code text}
     * (its file is named after the id); fails after {@code timeout}.
     */
    public String awaitQuarantined(String category, String text, Duration timeout) throws InterruptedException, IOException {
        Path directory = data().resolve("quarantine").resolve(category);
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            if (Files.isDirectory(directory)) {
                try (Stream<Path> files = Files.list(directory)) {
                    Optional<Path> found = files.filter(file -> !file.getFileName().toString().startsWith("."))
                        .filter(file -> new String(MaildirOnDisk.read(file), java.nio.charset.StandardCharsets.ISO_8859_1).contains(text))
                        .findFirst();
                    if (found.isPresent()) {
                        return found.get().getFileName().toString();
                    }
                }
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("nothing quarantined as " + category + " containing " + text);
    }

    /** The server log from the last start on ({@code bin/maildeck start} appends to it). */
    public String serverLogOfLastStart() {
        String log = serverLog();
        int lastStart = log.lastIndexOf("starting Maildeck");
        return lastStart < 0 ? log : log.substring(log.lastIndexOf('\n', lastStart) + 1);
    }

    /**
     * The test servers' JVM: the client compiler only and the serial collector. A test server
     * lives a minute or two and handles a few messages, so C2's compile threads and the parallel
     * collector's only effect is to double the CPU a start-up takes (24 s against 12 s measured),
     * and four test JVMs start servers at once on two cores. The shipped default (bin/maildeck)
     * has the same compiler and collector with a 512 MiB heap. The launcher adds the class-data
     * archive of {@link ServerClassArchive}. A {@code MAILDECK_JAVA_OPTS} of the environment wins
     * (and then no archive is made).
     */
    static final String SERVER_JVM_OPTIONS = "-Xmx1g -XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

    /**
     * A {@code bin/maildeck ARGS} command line for this instance, with the environment that
     * {@link #maildeck(String...)} uses, for tests that need to change it or run it themselves.
     */
    public ProcessBuilder launcher(String... args) {
        List<String> command = new ArrayList<>();
        command.add(distribution.resolve("bin/maildeck").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("MAILDECK_HOME", home.toString());
        if (!builder.environment().containsKey("MAILDECK_JAVA_OPTS")) {
            builder.environment().put("MAILDECK_JAVA_OPTS", javaOptions + (classArchive == null ? ServerClassArchive.javaOptions() : ""));
        }
        builder.environment().put("MAILDECK_CLASS_ARCHIVE", classArchive == null ? "off" : classArchive.toString());
        if (startTimeout != null) {
            builder.environment().put("MAILDECK_START_TIMEOUT", Long.toString(startTimeout.toSeconds()));
        }
        builder.environment().remove("MAILDECK_CONF");
        builder.environment().remove("MAILDECK_DATA");
        return builder;
    }

    /**
     * {@code bin/maildeck run} in the foreground, standard output and error to {@code output};
     * the returned process is the launcher, which execs the JVM (same pid). Not waited for.
     */
    public Process runForeground(Path output) {
        try {
            return launcher("run").redirectErrorStream(true).redirectOutput(output.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code bin/maildeck ARGS} for this instance. */
    public Result maildeck(String... args) {
        return maildeck(Duration.ofMinutes(1), null, args);
    }

    /** Runs {@code bin/maildeck ARGS} for this instance with {@code stdin} as standard input. */
    public Result maildeckWithInput(String stdin, String... args) {
        return maildeck(Duration.ofMinutes(1), stdin, args);
    }

    private Result maildeck(Duration timeout, String stdin, String... args) {
        ProcessBuilder builder = launcher(args);
        long started = System.nanoTime();
        try {
            Path out = Files.createTempFile(home, "cmd", ".out");
            Path err = Files.createTempFile(home, "cmd", ".err");
            builder.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process process = builder.start();
            try (var in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(UTF_8));
                }
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("maildeck " + String.join(" ", args) + " did not finish in " + timeout);
            }
            Result result = new Result(process.exitValue(), Files.readString(out, UTF_8), Files.readString(err, UTF_8));
            Files.delete(out);
            Files.delete(err);
            if (args.length > 0 && args[0].equals("start") && result.exitCode() == 0 && isRunning()) {
                ServerStarts.ready(pid(), started);
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The instance's own spamd, when created with one. */
    public SpamdProcess spamd() {
        return Objects.requireNonNull(spamd, "created without spamd");
    }

    /** The instance's own clamd, e.g. to stop it and start it again. */
    public ClamdProcess clamd() {
        return clamd;
    }

    /** What the threads of every running instance are doing ({@link ServerThreads}); empty if none runs. */
    static String describeRunningServers() {
        List<String> descriptions = new ArrayList<>();
        for (MaildeckInstance instance : RUNNING) {
            try {
                long pid = instance.pid();
                if (ProcessHandle.of(pid).isPresent()) {
                    descriptions.add(ServerThreads.describe(pid, instance.data().resolve("log")));
                }
            } catch (RuntimeException notRunning) {
                // no pid file: stopped meanwhile
            }
        }
        return String.join("\n", descriptions);
    }

    @Override
    public void close() {
        RUNNING.remove(this);
        if (clamd != null) {
            clamd.close();
        }
        if (spamd != null) {
            spamd.close();
        }
        try {
            if (Files.exists(data().resolve("maildeck.pid"))) {
                ProcessHandle.of(pid()).filter(MaildeckInstance::isServer).ifPresent(process -> {
                    ServerStarts.ending(process.pid());
                    Stopping.stop(process);
                });
            }
        } catch (RuntimeException e) {
            // the instance is being torn down; a failing stop must not hide the test's own result
        }
    }

    /** Puts the CPU of the running server in the account of starts ({@link ServerStarts}) before it ends. */
    void accountEnd() {
        if (isRunning()) {
            ServerStarts.ending(pid());
        }
    }

    /** Whether {@code process} is a Maildeck server (and not another process that got a dead server's pid). */
    private static boolean isServer(ProcessHandle process) {
        return process.info().arguments().map(arguments -> List.of(arguments).contains("org.maildeck.assembly.MaildeckServerMain")).orElse(false);
    }

    /**
     * Servers ended by {@link #close()}: SIGKILL, without waiting, as nothing reads a closed
     * instance any more and its ports are its own. A clean stop (SIGTERM) cost the server 0.3-0.4
     * CPU-s (its shutdown: Derby's checkpoint, ActiveMQ's, Camel's and the listeners' stops) that
     * nothing looked at, on the two cores the other forks' servers start on, for each of the
     * ~90 instances of a run; the tests of a clean stop stop their server with {@link #stop()}.
     * The test JVM waits for them as it exits, so that no server outlives the test run.
     */
    private static final class Stopping {
        private static final Duration AWAITED_AT_EXIT = Duration.ofSeconds(20);
        private static final Set<ProcessHandle> PROCESSES = ConcurrentHashMap.newKeySet();

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(Stopping::awaitAll, "await closed maildeck servers"));
        }

        static void stop(ProcessHandle process) {
            PROCESSES.add(process);
            process.destroyForcibly();
        }

        private static void awaitAll() {
            long deadline = System.nanoTime() + AWAITED_AT_EXIT.toNanos();
            for (ProcessHandle process : PROCESSES) {
                try {
                    process.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (Exception slowOrInterrupted) {
                    process.destroyForcibly();
                }
            }
        }
    }

    /** What one {@code bin/maildeck} command printed and returned. */
    public record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + ", stdout: " + stdout.strip() + ", stderr: " + stderr.strip();
        }
    }
}
