package org.maildeck.autoconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.maildeck.autoconfig.Documents.HOST;
import static org.maildeck.autoconfig.Documents.SETTINGS;
import static org.maildeck.autoconfig.Documents.parse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

class AppleMailProfileTest {

    private static final ClientAddress ALICE = new ClientAddress("alice", "example.test");

    @Test
    void theAccountUsesTheFirstImapAndTheFirstSubmissionListener() throws Exception {
        Map<String, String> account = account(new AppleMailProfile(SETTINGS).profile(ALICE));

        assertThat(account).containsEntry("EmailAccountType", "EmailTypeIMAP")
            .containsEntry("EmailAddress", "alice@example.test")
            .containsEntry("IncomingMailServerHostName", HOST)
            .containsEntry("IncomingMailServerPortNumber", "993")
            .containsEntry("IncomingMailServerUseSSL", "true")
            .containsEntry("IncomingMailServerUsername", "alice@example.test")
            .containsEntry("OutgoingMailServerHostName", HOST)
            .containsEntry("OutgoingMailServerPortNumber", "465")
            .containsEntry("OutgoingMailServerUseSSL", "true")
            .containsEntry("PayloadType", "com.apple.mail.managed");
    }

    @Test
    void downloadingTheProfileAgainGivesTheSameIdentifiers() {
        AppleMailProfile profiles = new AppleMailProfile(SETTINGS);

        assertThat(profiles.profile(ALICE)).isEqualTo(profiles.profile(ALICE));
        assertThat(profiles.profile(ALICE)).isNotEqualTo(profiles.profile(new ClientAddress("bob", "example.test")));
    }

    @Test
    void anAddressWithMarkupCharactersIsWrittenAsText() throws Exception {
        ClientAddress odd = ClientAddress.parseAddress("o'brien&co+x@example.test").orElseThrow();

        assertThat(account(new AppleMailProfile(SETTINGS).profile(odd))).containsEntry("EmailAddress", "o'brien&co+x@example.test");
    }

    @Test
    void noProfileIsMadeWithoutASubmissionListener() {
        MailClientSettings readOnly = new MailClientSettings(SETTINGS.incoming(), List.of());

        assertThatThrownBy(() -> new AppleMailProfile(readOnly).profile(ALICE)).isInstanceOf(IllegalStateException.class);
    }

    /** The account payload's keys and values (a {@code <true/>} as "true"). */
    private static Map<String, String> account(String plist) throws Exception {
        Document document = parse(plist);
        assertThat(document.getDoctype().getPublicId()).isEqualTo("-//Apple//DTD PLIST 1.0//EN");
        Node payload = document.getElementsByTagName("array").item(0).getFirstChild();
        while (!(payload instanceof Element)) {
            payload = payload.getNextSibling();
        }
        Map<String, String> entries = new LinkedHashMap<>();
        String key = null;
        for (Node child = payload.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element) {
                if (element.getTagName().equals("key")) {
                    key = element.getTextContent();
                } else {
                    entries.put(key, element.getTagName().equals("true") || element.getTagName().equals("false")
                        ? element.getTagName() : element.getTextContent());
                }
            }
        }
        return entries;
    }
}
