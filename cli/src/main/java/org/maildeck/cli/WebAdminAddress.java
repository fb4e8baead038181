package org.maildeck.cli;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

import org.maildeck.adminaccess.OwnCertificates;

/**
 * Where the running server's WebAdmin listens, as configured in {@code webadmin.properties}, and
 * with {@code https.enabled} the keystore whose certificate it presents (the only one trusted).
 */
record WebAdminAddress(String host, int port, Optional<OwnCertificates> https) {

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
        String host = properties.getProperty("host", DEFAULT_HOST).trim();
        // A wildcard bind address is reachable through loopback.
        if (host.isEmpty() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            host = DEFAULT_HOST;
        }
        String port = properties.getProperty("port", String.valueOf(DEFAULT_PORT)).trim();
        try {
            return new WebAdminAddress(host, Integer.parseInt(port), https(properties, file));
        } catch (NumberFormatException e) {
            throw AdminFailure.refused("invalid port '%s' in %s", port, file);
        }
    }

    /** The keystore as the server's Jetty opens it: a path, relative to the server's working directory. */
    private static Optional<OwnCertificates> https(Properties properties, Path file) {
        if (!Boolean.parseBoolean(properties.getProperty("https.enabled", "false").trim())) {
            return Optional.empty();
        }
        String keystore = properties.getProperty("https.keystore", "").trim();
        if (keystore.startsWith("file:")) {
            keystore = URI.create(keystore).getPath();
        }
        if (keystore.isEmpty() || !Path.of(keystore).isAbsolute()) {
            throw AdminFailure.refused("https.keystore in %s must be an absolute path (the server opens it relative to its working directory)", file);
        }
        // Jetty's default keystore type; a JKS file opens as PKCS12 too
        return Optional.of(new OwnCertificates(Path.of(keystore), "PKCS12", properties.getProperty("https.password", "")));
    }

    URI uri(String pathAndQuery) {
        String authority = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return URI.create((https.isPresent() ? "https://" : "http://") + authority + ":" + port + pathAndQuery);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
