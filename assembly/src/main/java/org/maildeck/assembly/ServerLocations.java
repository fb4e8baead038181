package org.maildeck.assembly;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.james.filesystem.api.JamesDirectoriesProvider;

/**
 * Where the server reads its configuration and keeps its data.
 *
 * <p>Resolved from command-line options first, then the environment, then {@code MAILDECK_HOME}:
 * {@code --conf}/{@code MAILDECK_CONF} (default {@code $MAILDECK_HOME/conf}),
 * {@code --data}/{@code MAILDECK_DATA} (default {@code $MAILDECK_HOME/var}) and
 * {@code --mail}/{@code MAILDECK_MAIL} (default {@code $MAILDECK_HOME/mail}, the Maildir root).
 * The installed package points them at /etc/maildeck, /var/lib/maildeck and /var/mail/vhosts;
 * the dev run keeps all three under one home.</p>
 *
 * <p>James resolves {@code file://conf/...} against the configuration directory and
 * {@code file://var/...} against the data directory.</p>
 */
public final class ServerLocations implements JamesDirectoriesProvider {

    private final Path confDirectory;
    private final Path dataDirectory;
    private final Path mailDirectory;

    ServerLocations(Path confDirectory, Path dataDirectory, Path mailDirectory) {
        this.confDirectory = confDirectory.toAbsolutePath().normalize();
        this.dataDirectory = dataDirectory.toAbsolutePath().normalize();
        this.mailDirectory = mailDirectory.toAbsolutePath().normalize();
    }

    public static ServerLocations resolve(String[] args, Map<String, String> environment) {
        String home = environment.getOrDefault("MAILDECK_HOME", ".");
        String conf = environment.getOrDefault("MAILDECK_CONF", home + "/conf");
        String data = environment.getOrDefault("MAILDECK_DATA", home + "/var");
        String mail = environment.getOrDefault("MAILDECK_MAIL", home + "/mail");
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--conf") && i + 1 < args.length) {
                conf = args[++i];
            } else if (arg.startsWith("--conf=")) {
                conf = arg.substring("--conf=".length());
            } else if (arg.equals("--data") && i + 1 < args.length) {
                data = args[++i];
            } else if (arg.startsWith("--data=")) {
                data = arg.substring("--data=".length());
            } else if (arg.equals("--mail") && i + 1 < args.length) {
                mail = args[++i];
            } else if (arg.startsWith("--mail=")) {
                mail = arg.substring("--mail=".length());
            } else {
                throw new IllegalArgumentException("unknown option: " + arg + " (expected --conf DIR, --data DIR, --mail DIR)");
            }
        }
        return new ServerLocations(Path.of(conf), Path.of(data), Path.of(mail));
    }

    /** Fails early, with the path in the message, when the server could not work with these directories. */
    public void check() throws IOException {
        if (!Files.exists(confDirectory)) {
            throw new IOException("configuration directory " + confDirectory + " does not exist");
        }
        if (!Files.isDirectory(confDirectory)) {
            throw new IOException("configuration directory " + confDirectory + " is not a directory");
        }
        if (Files.exists(dataDirectory) && !Files.isDirectory(dataDirectory)) {
            throw new IOException("data directory " + dataDirectory + " is not a directory");
        }
        Files.createDirectories(dataDirectory);
        if (!Files.isWritable(dataDirectory)) {
            throw new IOException("data directory " + dataDirectory + " is not writable");
        }
    }

    public Path confDirectory() {
        return confDirectory;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Default root of the users' Maildirs; {@code maildir.properties} may name another. */
    public Path mailDirectory() {
        return mailDirectory;
    }

    public Path dataPath(String relative) {
        return dataDirectory.resolve(relative);
    }

    @Override
    public String getAbsoluteDirectory() {
        return "/";
    }

    @Override
    public String getConfDirectory() {
        return confDirectory + "/";
    }

    @Override
    public String getVarDirectory() {
        return dataDirectory + "/";
    }

    @Override
    public String getRootDirectory() {
        return dataDirectory.toString();
    }

    @Override
    public String toString() {
        return "conf=" + confDirectory + " data=" + dataDirectory + " mail=" + mailDirectory;
    }
}
