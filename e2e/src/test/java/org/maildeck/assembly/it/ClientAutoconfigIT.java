package org.maildeck.assembly.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * The client autoconfiguration documents, fetched from the running server's console listener
 * as the clients fetch them, parsed, and compared with the listeners the server really runs:
 * IMAPS then IMAP with STARTTLS; SMTPS then submission; never port 25 or the filter port.
 */
class ClientAutoconfigIT {

    private static final String DOMAIN = "autoconfig.maildeck.test";

    @RegisterExtension
    static final TestServer server = TestServer.shared();
    private static ConsoleClient http;

    @BeforeAll
    static void aLocalDomain() {
        server.domain(DOMAIN);
        http = new ConsoleClient(server.port("console"));
    }

    @Test
    void thunderbirdIsToldTheImapAndSubmissionListenersInOrder() throws Exception {
        HttpResponse<String> answer = http.get("/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=alice%40" + DOMAIN, null);

        assertThat(answer.statusCode()).isEqualTo(200);
        Document config = parse(answer.body());
        assertThat(servers(config, "incomingServer", "socketType")).containsExactly(
            "imap " + server.port("imaps") + " SSL", "imap " + server.port("imap") + " STARTTLS");
        assertThat(servers(config, "outgoingServer", "socketType")).containsExactly(
            "smtp " + server.port("smtps") + " SSL", "smtp " + server.port("submission") + " STARTTLS");
        assertThat(((Element) config.getElementsByTagName("emailProvider").item(0)).getAttribute("id")).isEqualTo(DOMAIN);
    }

    @Test
    void thunderbirdsAutoconfigHostPathGivesTheSameDocument() throws Exception {
        String wellKnown = http.get("/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=bob%40" + DOMAIN, null).body();

        assertThat(http.get("/mail/config-v1.1.xml?emailaddress=bob%40" + DOMAIN, null).body()).isEqualTo(wellKnown);
    }

    @Test
    void outlooksAutodiscoverRequestIsAnsweredWithTheSameListeners() throws Exception {
        HttpResponse<String> answer = http.postRaw("/autodiscover/autodiscover.xml", null, "text/xml", outlookRequest("carol@" + DOMAIN));

        assertThat(answer.statusCode()).isEqualTo(200);
        List<String> protocols = new ArrayList<>();
        NodeList nodes = parse(answer.body()).getElementsByTagNameNS("*", "Protocol");
        for (int i = 0; i < nodes.getLength(); i++) {
            Element protocol = (Element) nodes.item(i);
            protocols.add(text(protocol, "Type") + " " + text(protocol, "Port") + " " + text(protocol, "Encryption") + " " + text(protocol, "LoginName"));
        }
        assertThat(protocols).containsExactly(
            "IMAP " + server.port("imaps") + " SSL carol@" + DOMAIN, "IMAP " + server.port("imap") + " TLS carol@" + DOMAIN,
            "SMTP " + server.port("smtps") + " SSL carol@" + DOMAIN, "SMTP " + server.port("submission") + " TLS carol@" + DOMAIN);
    }

    @Test
    void theAppleProfileIsADownloadOfTheFirstListeners() throws Exception {
        HttpResponse<String> answer = http.get("/mail/profile.mobileconfig?emailaddress=dave%40" + DOMAIN, null);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/x-apple-aspen-config"));
        assertThat(answer.headers().firstValue("Content-Disposition")).hasValueSatisfying(value -> assertThat(value).startsWith("attachment"));
        String plist = answer.body();
        assertThat(plistValue(plist, "IncomingMailServerPortNumber")).isEqualTo(Integer.toString(server.port("imaps")));
        assertThat(plistValue(plist, "OutgoingMailServerPortNumber")).isEqualTo(Integer.toString(server.port("smtps")));
        assertThat(plistValue(plist, "EmailAddress")).isEqualTo("dave@" + DOMAIN);
    }

    @Test
    void aDomainThatIsNotLocalGetsNoDocument() throws IOException {
        assertThat(http.get("/mail/config-v1.1.xml?emailaddress=eve%40elsewhere.test", null).statusCode()).isEqualTo(404);
        assertThat(http.get("/mail/profile.mobileconfig?emailaddress=eve%40elsewhere.test", null).statusCode()).isEqualTo(404);
        assertThat(http.postRaw("/autodiscover/autodiscover.xml", null, "text/xml", outlookRequest("eve@elsewhere.test")).statusCode())
            .isEqualTo(404);
    }

    @Test
    void malformedAddressesAndHostileRequestsAreRefused() throws IOException {
        assertThat(http.get("/mail/profile.mobileconfig?emailaddress=%3Cscript%3E%40" + DOMAIN, null).statusCode()).isEqualTo(404);
        String entity = "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
            + outlookRequest("&x;").replaceFirst("<\\?xml[^>]*\\?>", "");
        assertThat(http.postRaw("/autodiscover/autodiscover.xml", null, "text/xml", entity).statusCode()).isEqualTo(400);
        assertThat(http.postRaw("/autodiscover/autodiscover.xml", null, "application/json", "{}").statusCode()).isEqualTo(415);
        assertThat(http.postRaw("/autodiscover/autodiscover.xml", null, "text/xml", "x".repeat(9000)).statusCode()).isEqualTo(413);
        assertThat(http.get("/autodiscover/autodiscover.xml", null).statusCode()).isEqualTo(405);
    }

    private static String outlookRequest(String address) {
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
            + "<Autodiscover xmlns=\"http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006\"><Request>"
            + "<EMailAddress>" + address + "</EMailAddress>"
            + "<AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>"
            + "</Request></Autodiscover>";
    }

    /** "type port socketType" of each server element, in document order. */
    private static List<String> servers(Document config, String element, String security) {
        List<String> servers = new ArrayList<>();
        NodeList nodes = config.getElementsByTagName(element);
        for (int i = 0; i < nodes.getLength(); i++) {
            Element server = (Element) nodes.item(i);
            servers.add(server.getAttribute("type") + " " + text(server, "port") + " " + text(server, security));
        }
        return servers;
    }

    private static String text(Element parent, String name) {
        return parent.getElementsByTagNameNS("*", name).item(0).getTextContent();
    }

    /** The value after {@code <key>name</key>} in the profile's account dictionary. */
    private static String plistValue(String plist, String key) throws Exception {
        NodeList keys = parse(plist).getElementsByTagName("key");
        for (int i = 0; i < keys.getLength(); i++) {
            if (keys.item(i).getTextContent().equals(key)) {
                Node value = keys.item(i).getNextSibling();
                while (!(value instanceof Element)) {
                    value = value.getNextSibling();
                }
                return value.getTextContent();
            }
        }
        throw new AssertionError("no " + key + " in " + plist);
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }
}
