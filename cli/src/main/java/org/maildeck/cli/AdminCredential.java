package org.maildeck.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import org.maildeck.adminaccess.AdminKeyPair;
import org.maildeck.adminaccess.AdminToken;

/**
 * The admin token the commands send to WebAdmin: signed, at the first request, with the
 * instance's admin key (readable by root and the {@code maildeck} group only), naming the admin
 * who runs the command, or the one this admin's last commands signed with that key while it has
 * minutes left ({@link RecentAdminTokens}: the signature is a third of a short command's CPU).
 * None when the key does not exist yet: the server, which makes it on its first start, has
 * never run.
 */
final class AdminCredential {
    private final Path conf;
    private final RecentAdminTokens recent;
    private Optional<String> token;

    AdminCredential(Path conf) {
        this(conf, RecentAdminTokens.ofThisUser());
    }

    AdminCredential(Path conf, RecentAdminTokens recent) {
        this.conf = conf;
        this.recent = recent;
    }

    Path keyFile() {
        return conf.resolve(AdminKeyPair.PRIVATE_KEY_FILE);
    }

    Optional<String> token() {
        if (token == null) {
            token = Files.exists(keyFile()) ? Optional.of(recentOrSigned()) : Optional.empty();
        }
        return token;
    }

    /** The key is read every time: an admin who may no longer read it is refused as before. */
    private String recentOrSigned() {
        byte[] key;
        try {
            key = Files.readAllBytes(keyFile());
        } catch (IOException unreadable) {
            return sign(Instant.now()); // refused with AdminKeyPair's message
        }
        String admin = InvokingAdmin.name();
        Instant now = Instant.now();
        return recent.find(key, admin, now).orElseGet(() -> {
            String signed = sign(now);
            recent.keep(key, admin, signed, now);
            return signed;
        });
    }

    private String sign(Instant now) {
        try {
            return AdminToken.sign(AdminKeyPair.privateKey(conf), InvokingAdmin.name(), now);
        } catch (IOException e) {
            throw AdminFailure.refused("%s", e.getMessage());
        }
    }
}
