package org.maildeck.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.james.core.Domain;
import org.maildeck.adminaccess.accounts.AddressSyntax;
import org.maildeck.mailauth.DkimKeyFile;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code maildeck dkim keygen|show}: the DKIM signing keys of the local domains (opendkim-genkey).
 * The key is a file in the configuration directory ({@code dkim/<domain>.<selector>.key},
 * {@link DkimKeyFile}); the running server starts signing with it within seconds, so the record
 * {@code show} prints should be published at once.
 */
@Command(name = "dkim", description = "DKIM signing keys of the local domains.")
final class DkimCommand {

    /** A TXT record's character-strings hold at most 255 octets each (RFC 1035 3.3.14). */
    private static final int TXT_STRING_MAX = 255;

    @ParentCommand
    private MaildeckAdmin admin;

    @Command(name = "keygen", description = "Make a DKIM key for DOMAIN; mail from DOMAIN to other servers is signed with it.")
    void keygen(@Parameters(paramLabel = "DOMAIN") String name,
                @Option(names = "--selector", paramLabel = "S", defaultValue = "mail",
                    description = "Selector: the key's name in DNS, S._domainkey.DOMAIN (default: ${DEFAULT-VALUE}).") String selector,
                @Option(names = "--bits", paramLabel = "N", defaultValue = "2048",
                    description = "RSA key size, 1024 to 4096 (default: ${DEFAULT-VALUE}).") int bits) {
        Domain domain = AddressSyntax.domain(name);
        if (!DkimKeyFile.isValidSelector(selector)) {
            throw AdminFailure.usage("malformed selector '%s': one DNS label of lower-case letters, digits and '-' (e.g. mail2026)",
                AddressSyntax.printable(selector));
        }
        if (bits < DkimKeyFile.MIN_BITS || bits > DkimKeyFile.MAX_BITS) {
            throw AdminFailure.usage("key size %d bits: must be from %d (RFC 8301) to %d", bits, DkimKeyFile.MIN_BITS, DkimKeyFile.MAX_BITS);
        }
        admin.accounts().requireLocalDomain(domain);
        Path directory = DkimKeyFile.directory(admin.conf());
        DkimKeyFile key;
        try {
            key = DkimKeyFile.generate(directory, domain.asString(), selector, bits);
        } catch (FileAlreadyExistsException e) {
            throw AdminFailure.refused("%s already has a key with selector '%s' (%s); choose another --selector",
                domain.asString(), selector, DkimKeyFile.path(directory, domain.asString(), selector));
        } catch (IOException e) {
            throw AdminFailure.refused("cannot write the key in %s: %s", directory, e.getMessage());
        }
        System.out.println("DKIM key for " + key.domain() + ", selector " + key.selector() + " (" + key.bits() + " bits): "
            + DkimKeyFile.path(directory, key.domain(), key.selector()));
        System.out.println("Publish this record in the DNS zone of " + key.domain() + ":");
        System.out.println(zoneLine(key));
    }

    @Command(name = "show", description = "The DNS record to publish for DOMAIN's key(s), as a zone-file line.")
    void show(@Parameters(paramLabel = "DOMAIN") String name) {
        Domain domain = AddressSyntax.domain(name);
        List<DkimKeyFile> keys;
        try {
            keys = DkimKeyFile.keysOf(DkimKeyFile.directory(admin.conf()), domain.asString());
        } catch (IOException e) {
            throw AdminFailure.refused("cannot read the keys of %s: %s", domain.asString(), e.getMessage());
        }
        if (keys.isEmpty()) {
            throw AdminFailure.refused("no DKIM key for %s (make one with: maildeck dkim keygen %s)", domain.asString(), domain.asString());
        }
        keys.forEach(key -> System.out.println(zoneLine(key)));
    }

    /** {@code S._domainkey.DOMAIN. IN TXT "v=DKIM1; k=rsa; p=..." "..."}: the text cut in strings of 255 characters. */
    static String zoneLine(DkimKeyFile key) {
        String text = key.recordText();
        List<String> strings = new ArrayList<>();
        for (int start = 0; start < text.length(); start += TXT_STRING_MAX) {
            strings.add("\"" + text.substring(start, Math.min(text.length(), start + TXT_STRING_MAX)) + "\"");
        }
        return key.recordName() + ". IN TXT " + String.join(" ", strings);
    }
}
