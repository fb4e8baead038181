package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.maildeck.localdaemon.DaemonException;
import org.maildeck.localdaemon.TestDaemon;

/**
 * Roundcube webmail for tests (Debian packages roundcube, roundcube-sqlite3 and php-cli, installed
 * by scripts/test), served by PHP's built-in web server on a port of 127.0.0.1, with a
 * configuration of its own in a temporary folder (ROUNDCUBE_CONFIG_DIR; Debian's /etc/roundcube
 * is never read) and an SQLite database there: no Apache, no system service.
 * <p>
 * It reaches Maildeck as the README's configuration says, with STARTTLS on IMAP and on submission
 * (where AUTH needs TLS), except that the test instance's certificate is self-signed: its peer
 * checks are off here, and only here.
 */
final class RoundcubeProcess implements AutoCloseable {

    /** The Debian package's web root (its index.php finds the code in /usr/share/roundcube). */
    private static final Path WEB_ROOT = Path.of("/var/lib/roundcube/public_html");
    private static final Path DEBIAN_CONFIG = Path.of("/etc/roundcube");
    private static final Path SCHEMA = Path.of("/usr/share/roundcube/SQL/sqlite.initial.sql");

    private final TestDaemon daemon;
    private final int port;

    private RoundcubeProcess(TestDaemon daemon, int port) {
        this.daemon = daemon;
        this.port = port;
    }

    /** Roundcube in front of {@code server}'s IMAP and submission listeners. */
    static RoundcubeProcess start(MaildeckInstance server) {
        int port = TestPorts.next();
        Path directory = TestDaemon.createDirectory("roundcube");
        try {
            Path config = Files.createDirectories(directory.resolve("config"));
            // the defaults ship with the package, beside its config.inc.php; only ours is read besides
            Files.copy(DEBIAN_CONFIG.resolve("defaults.inc.php"), config.resolve("defaults.inc.php"));
            Files.copy(DEBIAN_CONFIG.resolve("mimetypes.php"), config.resolve("mimetypes.php"));
            Files.createDirectories(directory.resolve("temp"));
            Files.createDirectories(directory.resolve("logs"));
            Path database = directory.resolve("roundcube.db");
            Files.writeString(config.resolve("config.inc.php"), config(server, directory, database), UTF_8);
            createDatabase(database);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TestDaemon daemon = new TestDaemon("roundcube", "roundcube", directory,
            List.of("env", "ROUNDCUBE_CONFIG_DIR=" + directory.resolve("config"), "php", "-S", "127.0.0.1:" + port, "-t", WEB_ROOT.toString()),
            () -> listening(port));
        daemon.start();
        return new RoundcubeProcess(daemon, port);
    }

    String url() {
        return "http://127.0.0.1:" + port + "/";
    }

    /** Roundcube's own log (errors of IMAP and SMTP), for a failure's message. */
    String log() {
        try {
            Path errors = daemon.directory().resolve("logs").resolve("errors.log");
            return (Files.exists(errors) ? Files.readString(errors, UTF_8) : "") + daemon.output();
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() {
        daemon.close();
    }

    private static String config(MaildeckInstance server, Path directory, Path database) {
        String noPeerChecks = "['ssl' => ['verify_peer' => false, 'verify_peer_name' => false, 'allow_self_signed' => true]]";
        return String.join("\n",
            "<?php",
            "$config = [];",
            "$config['db_dsnw'] = 'sqlite:///" + database + "?mode=0600';",
            "$config['imap_host'] = 'tls://127.0.0.1:" + server.port("imap") + "';",
            "$config['smtp_host'] = 'tls://127.0.0.1:" + server.port("submission") + "';",
            "$config['smtp_user'] = '%u';",
            "$config['smtp_pass'] = '%p';",
            "// the test instance's certificate is self-signed (the README's configuration checks it)",
            "$config['imap_conn_options'] = " + noPeerChecks + ";",
            "$config['smtp_conn_options'] = " + noPeerChecks + ";",
            "$config['create_default_folders'] = true;",
            "$config['junk_mbox'] = 'Junk';",
            "$config['des_key'] = '" + HexFormat.of().formatHex(SecureRandom.getSeed(12)) + "';",
            "$config['temp_dir'] = '" + directory.resolve("temp") + "/';",
            "$config['log_dir'] = '" + directory.resolve("logs") + "/';",
            "$config['plugins'] = [];",
            "$config['skin'] = 'elastic';",
            "$config['enable_spellcheck'] = false;",
            "$config['support_url'] = '';",
            "");
    }

    private static void createDatabase(Path database) throws IOException {
        Process php = new ProcessBuilder("php", "-r",
            "$db = new PDO('sqlite:' . $argv[1]); $db->setAttribute(PDO::ATTR_ERRMODE, PDO::ERRMODE_EXCEPTION); "
                + "$db->exec(file_get_contents($argv[2]));", database.toString(), SCHEMA.toString())
            .redirectErrorStream(true).start();
        String output = new String(php.getInputStream().readAllBytes(), UTF_8);
        try {
            if (!php.waitFor(60, TimeUnit.SECONDS) || php.exitValue() != 0) {
                throw new IOException("creating Roundcube's SQLite database failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void listening(int port) throws DaemonException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        } catch (IOException e) {
            throw new DaemonException(DaemonException.Kind.UNREACHABLE, "roundcube on port " + port + ": " + e);
        }
    }
}
