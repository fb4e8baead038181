package org.maildeck.antispam;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.maildeck.localdaemon.TestDaemon;

/**
 * A real spamd (Debian package spamd) for tests: SpamAssassin's shipped rules, network tests off
 * ({@code -L}), learning allowed, and a Bayes database of its own in a temporary folder, on a
 * TCP port of 127.0.0.1. Starts in about five seconds.
 */
public final class SpamdProcess implements AutoCloseable {

    /** SpamAssassin's test string: any message containing it scores 1000. */
    public static final String GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";
    private static final Pattern MAGIC = Pattern.compile("(?m)^\\S+\\s+\\S+\\s+(\\d+)\\s+\\S+\\s+non-token data: (nspam|nham)$");

    private final TestDaemon daemon;
    private final int port;

    private SpamdProcess(TestDaemon daemon, int port) {
        this.daemon = daemon;
        this.port = port;
    }

    public static SpamdProcess start() {
        return start(TestDaemon.freePort());
    }

    public static SpamdProcess start(int port) {
        Path directory = TestDaemon.createDirectory("spamd");
        try {
            Path site = Files.createDirectories(directory.resolve("site"));
            // spamd started by root runs its children as nobody: they must reach the Bayes files
            Path bayes = Files.createDirectories(directory.resolve("bayes"));
            Files.setPosixFilePermissions(bayes, PosixFilePermissions.fromString("rwxrwxrwx"));
            Files.createDirectories(directory.resolve("home"));
            try (Stream<Path> shipped = Files.list(Path.of("/etc/spamassassin"))) {
                for (Path pre : (Iterable<Path>) shipped.filter(file -> file.toString().endsWith(".pre"))::iterator) {
                    Files.copy(pre, site.resolve(pre.getFileName()));
                }
            }
            Files.writeString(site.resolve("local.cf"), String.join("\n",
                "use_bayes 1",
                "bayes_auto_learn 0",
                "bayes_path " + bayes.resolve("bayes"),
                "bayes_file_mode 0777",
                ""), UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = new ArrayList<>(List.of("spamd", "-x", "-L", "--allow-tell",
            "--listen=127.0.0.1:" + port,
            "--siteconfigpath=" + directory.resolve("site"),
            "--pidfile=" + directory.resolve("spamd.pid"),
            "--max-children=4", "--min-children=1",
            "-H", directory.resolve("home").toString(),
            "--syslog=stderr"));
        if (System.getProperty("user.name").equals("root")) {
            // spamd refuses to stay root; say whom to become instead of a warning
            command.addAll(List.of("-u", "nobody"));
        }
        TestDaemon daemon = new TestDaemon("spamd", "spamd", directory, command, client(port, Duration.ofSeconds(2))::ping);
        daemon.start();
        return new SpamdProcess(daemon, port);
    }

    public int port() {
        return port;
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    public SpamdClient client(Duration readTimeout) {
        return client(port, readTimeout);
    }

    private static SpamdClient client(int port, Duration readTimeout) {
        return new SpamdClient(SpamdClient.Settings.parse("127.0.0.1:" + port, Duration.ofSeconds(2), readTimeout));
    }

    /** nspam and nham of the Bayes database, read with {@code sa-learn --dump magic}. */
    public BayesCounts bayesCounts() {
        try {
            Process dump = new ProcessBuilder("sa-learn", "--dbpath", daemon.directory().resolve("bayes").toString(), "--dump", "magic")
                .redirectErrorStream(true).start();
            String output = new String(dump.getInputStream().readAllBytes(), UTF_8);
            dump.waitFor(60, TimeUnit.SECONDS);
            long spam = 0;
            long ham = 0;
            Matcher matcher = MAGIC.matcher(output);
            while (matcher.find()) {
                if (matcher.group(2).equals("nspam")) {
                    spam = Long.parseLong(matcher.group(1));
                } else {
                    ham = Long.parseLong(matcher.group(1));
                }
            }
            return new BayesCounts(spam, ham);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Messages learnt as spam and as ham (0 and 0 before anything was learnt). */
    public record BayesCounts(long spam, long ham) {
    }

    /** Stops spamd and its children and waits until they are gone; {@link #restart()} brings it back on the same port. */
    public void stop() {
        daemon.stop();
    }

    /**
     * Stops spamd and its children with SIGSTOP: connections are still accepted by the kernel
     * but never answered, as with a spamd stuck on a huge message. {@link #thaw()} undoes it.
     */
    public void freeze() {
        daemon.freeze();
    }

    public void thaw() {
        daemon.thaw();
    }

    public void restart() {
        daemon.restart();
    }

    public String output() {
        return daemon.output();
    }

    @Override
    public void close() {
        daemon.close();
    }
}
