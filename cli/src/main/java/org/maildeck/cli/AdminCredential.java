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
 * who runs the command. None when the key does not exist yet: the server, which makes it on its
 * first start, has never run.
 */
final class AdminCredential {
    private final Path conf;
    private Optional<String> token;

    AdminCredential(Path conf) {
        this.conf = conf;
    }

    Path keyFile() {
        return conf.resolve(AdminKeyPair.PRIVATE_KEY_FILE);
    }

    Optional<String> token() {
        if (token == null) {
            token = Files.exists(keyFile()) ? Optional.of(sign()) : Optional.empty();
        }
        return token;
    }

    private String sign() {
        try {
            return AdminToken.sign(AdminKeyPair.privateKey(conf), InvokingAdmin.name(), Instant.now());
        } catch (IOException e) {
            throw AdminFailure.refused("%s", e.getMessage());
        }
    }
}
