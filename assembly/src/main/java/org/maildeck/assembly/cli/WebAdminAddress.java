package org.maildeck.assembly.cli;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** Where the running server's WebAdmin listens, as configured in {@code webadmin.properties}. */
record WebAdminAddress(String host, int port) {

    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_PORT = 8000;

    /** Reads {@code CONF/webadmin.properties}; James' defaults apply when it is absent. */
    static WebAdminAddress fromConf(Path conf) {
        Path file = conf.resolve("webadmin.properties");
        Properties properties = new Properties();
        if (Files.isRegularFile(file)) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
                properties.load(reader);
            } catch (IOException e) {
                throw AdminFailure.refused("cannot read %s: %s", file, e.getMessage());
            }
        }
        if (!Boolean.parseBoolean(properties.getProperty("enabled", "true").trim())) {
            throw AdminFailure.refused("WebAdmin is disabled (enabled=false in %s); the admin commands need it", file);
        }
        // A self-signed WebAdmin certificate could not be verified, and JWTs are not
        // implemented here: say so rather than fail later with a TLS or 401 error.
        if (Boolean.parseBoolean(properties.getProperty("https.enabled", "false").trim())) {
            throw AdminFailure.refused("WebAdmin uses https (https.enabled=true in %s), which the admin commands do not support yet", file);
        }
        String host = properties.getProperty("host", DEFAULT_HOST).trim();
        // A wildcard bind address is reachable through loopback.
        if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            host = DEFAULT_HOST;
        }
        String port = properties.getProperty("port", String.valueOf(DEFAULT_PORT)).trim();
        try {
            return new WebAdminAddress(host, Integer.parseInt(port));
        } catch (NumberFormatException e) {
            throw AdminFailure.refused("invalid port '%s' in %s", port, file);
        }
    }

    URI uri(String pathAndQuery) {
        String authority = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return URI.create("http://" + authority + ":" + port + pathAndQuery);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
