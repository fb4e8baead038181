package org.maildeck.autoconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.maildeck.autoconfig.Documents.HOST;
import static org.maildeck.autoconfig.Documents.SETTINGS;
import static org.maildeck.autoconfig.Documents.elements;
import static org.maildeck.autoconfig.Documents.parse;
import static org.maildeck.autoconfig.Documents.text;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class ThunderbirdAutoconfigTest {

    private final Document document = parseUnchecked(new ThunderbirdAutoconfig(SETTINGS).document("example.test"));

    @Test
    void theProviderIsTheDomainAskedFor() {
        Element provider = elements(document, "emailProvider").get(0);

        assertThat(document.getDocumentElement().getAttribute("version")).isEqualTo("1.1");
        assertThat(provider.getAttribute("id")).isEqualTo("example.test");
        assertThat(text(provider, "domain")).isEqualTo("example.test");
    }

    @Test
    void incomingServersAreTheImapListenersInOrderWithTheirSocketTypes() {
        List<Element> servers = elements(document, "incomingServer");

        assertThat(servers).extracting(server -> server.getAttribute("type")).containsExactly("imap", "imap");
        assertThat(servers).extracting(server -> text(server, "hostname") + ":" + text(server, "port") + " " + text(server, "socketType"))
            .containsExactly(HOST + ":993 SSL", HOST + ":143 STARTTLS");
    }

    @Test
    void outgoingServersAreTheSubmissionListenersInOrderWithTheirSocketTypes() {
        List<Element> servers = elements(document, "outgoingServer");

        assertThat(servers).extracting(server -> server.getAttribute("type")).containsExactly("smtp", "smtp");
        assertThat(servers).extracting(server -> text(server, "hostname") + ":" + text(server, "port") + " " + text(server, "socketType"))
            .containsExactly(HOST + ":465 SSL", HOST + ":587 STARTTLS");
    }

    @Test
    void everyServerLogsInWithTheWholeAddressAndAPasswordInsideTls() {
        for (Element server : elements(document, "incomingServer")) {
            assertThat(text(server, "username")).isEqualTo("%EMAILADDRESS%");
            assertThat(text(server, "authentication")).isEqualTo("password-cleartext");
        }
        for (Element server : elements(document, "outgoingServer")) {
            assertThat(text(server, "username")).isEqualTo("%EMAILADDRESS%");
            assertThat(text(server, "authentication")).isEqualTo("password-cleartext");
        }
    }

    private static Document parseUnchecked(String xml) {
        try {
            return parse(xml);
        } catch (Exception e) {
            throw new AssertionError("not XML: " + xml, e);
        }
    }
}
