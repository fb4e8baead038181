package org.maildeck.assembly.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import org.maildeck.assembly.webadmin.AdminKeyPair;
import org.maildeck.assembly.webadmin.AdminToken;

/**
 * The admin token the commands send to WebAdmin: signed with the instance's admin key (readable
 * by root and the {@code maildeck} group only), naming the admin who runs the command. None when
 * the key does not exist yet: the server, which makes it on its first start, has never run.
 */
record AdminCredential(Path keyFile, Optional<String> token) {

    static AdminCredential fromConf(Path conf) {
        Path keyFile = conf.resolve(AdminKeyPair.PRIVATE_KEY_FILE);
        if (!Files.exists(keyFile)) {
            return new AdminCredential(keyFile, Optional.empty());
        }
        try {
            return new AdminCredential(keyFile, Optional.of(AdminToken.sign(AdminKeyPair.privateKey(conf), InvokingAdmin.name(), Instant.now())));
        } catch (IOException e) {
            throw AdminFailure.refused("%s", e.getMessage());
        }
    }
}
