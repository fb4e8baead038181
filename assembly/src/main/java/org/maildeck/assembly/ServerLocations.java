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
 * {@code --conf}/{@code MAILDECK_CONF} (default {@code $MAILDECK_HOME/conf}) and
 * {@code --data}/{@code MAILDECK_DATA} (default {@code $MAILDECK_HOME/var}). The installed package
 * points them at /etc/maildeck and /var/lib/maildeck; the dev run keeps both under one home.</p>
 *
 * <p>James resolves {@code file://conf/...} against the configuration directory and
 * {@code file://var/...} against the data directory.</p>
 */
public final class ServerLocations implements JamesDirectoriesProvider {

    private final Path confDirectory;
    private final Path dataDirectory;

    ServerLocations(Path confDirectory, Path dataDirectory) {
        this.confDirectory = confDirectory.toAbsolutePath().normalize();
        this.dataDirectory = dataDirectory.toAbsolutePath().normalize();
    }

    public static ServerLocations resolve(String[] args, Map<String, String> environment) {
        String home = environment.getOrDefault("MAILDECK_HOME", ".");
        String conf = environment.getOrDefault("MAILDECK_CONF", home + "/conf");
        String data = environment.getOrDefault("MAILDECK_DATA", home + "/var");
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
            } else {
                throw new IllegalArgumentException("unknown option: " + arg + " (expected --conf DIR, --data DIR)");
            }
        }
        return new ServerLocations(Path.of(conf), Path.of(data));
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
        return "conf=" + confDirectory + " data=" + dataDirectory;
    }
}
