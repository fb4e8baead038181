package org.maildeck.cli.check;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keystores the TLS listeners name ({@code <keystore>}, {@code <keystoreType>},
 * {@code <secret>}) open with their password, and no certificate in them has expired; one that
 * expires within 30 days is a warning.
 */
final class Certificate {

    private static final Duration SOON = Duration.ofDays(30);

    private record Store(Path path, String type, String secret, Path declaredIn, int line) {
    }

    private Certificate() {
    }

    static List<Finding> check(Path conf, Instant now) {
        List<Finding> findings = new ArrayList<>();
        for (Store store : stores(conf)) {
            if (!Files.isReadable(store.path())) {
                findings.add(Finding.error(store.declaredIn(), store.line(), "keystore " + store.path() + " is missing or unreadable"));
                continue;
            }
            try (InputStream in = Files.newInputStream(store.path())) {
                KeyStore keyStore = KeyStore.getInstance(store.type());
                keyStore.load(in, store.secret().toCharArray());
                for (String alias : Collections.list(keyStore.aliases())) {
                    if (keyStore.getCertificate(alias) instanceof X509Certificate certificate) {
                        Instant notAfter = certificate.getNotAfter().toInstant();
                        String subject = certificate.getSubjectX500Principal().getName();
                        if (notAfter.isBefore(now)) {
                            findings.add(Finding.error(store.path(), 0, "certificate " + subject + " expired on " + notAfter));
                        } else if (notAfter.isBefore(now.plus(SOON))) {
                            findings.add(Finding.warning(store.path(), 0, "certificate " + subject + " expires on " + notAfter));
                        }
                    }
                }
            } catch (Exception e) {
                findings.add(Finding.error(store.declaredIn(), store.line(), "keystore " + store.path() + " cannot be opened: " + e.getMessage()));
            }
        }
        return findings;
    }

    /** Each distinct keystore, where it is first named. */
    private static List<Store> stores(Path conf) {
        Map<Path, Store> stores = new LinkedHashMap<>();
        for (String name : List.of("smtpserver.xml", "imapserver.xml", "pop3server.xml")) {
            Path file = conf.resolve(name);
            List<ConfigurationFiles.Element> elements;
            try {
                elements = ConfigurationFiles.elements(file);
            } catch (Exception e) {
                continue; // reported by ConfigurationFiles
            }
            for (int i = 0; i < elements.size(); i++) {
                if (elements.get(i).name().equals("keystore")) {
                    Path path = keystorePath(conf, elements.get(i).text());
                    String type = following(elements, i, "keystoreType", "PKCS12");
                    String secret = following(elements, i, "secret", "");
                    stores.putIfAbsent(path, new Store(path, type, secret, file, elements.get(i).line()));
                }
            }
        }
        return List.copyOf(stores.values());
    }

    /** {@code file://conf/keystore} is relative to the configuration directory, as for the server. */
    private static Path keystorePath(Path conf, String value) {
        String path = value.trim().replaceFirst("^file://", "");
        return path.startsWith("conf/") ? conf.resolve(path.substring("conf/".length())) : Path.of(path);
    }

    /** A sibling setting written just after {@code <keystore>}, as the shipped files do. */
    private static String following(List<ConfigurationFiles.Element> elements, int from, String name, String fallback) {
        for (int i = from + 1; i < elements.size() && i < from + 6; i++) {
            if (elements.get(i).name().equals(name)) {
                return elements.get(i).text();
            }
        }
        return fallback;
    }
}
