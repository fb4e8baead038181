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

class OutlookAutodiscoverTest {

    /** What Outlook sends, as Microsoft's documentation of the POX request shows it. */
    private static final String OUTLOOK_REQUEST = """
        <?xml version="1.0" encoding="utf-8"?>
        <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
          <Request>
            <EMailAddress>alice@example.test</EMailAddress>
            <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>
          </Request>
        </Autodiscover>""";

    @Test
    void theAddressIsReadFromOutlooksRequest() {
        assertThat(OutlookAutodiscover.requestedAddress(OUTLOOK_REQUEST)).contains(new ClientAddress("alice", "example.test"));
    }

    @Test
    void aRequestWithADoctypeIsRefusedBeforeAnyEntityIsRead() {
        String entity = """
            <?xml version="1.0"?>
            <!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]>
            <Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
              <Request><EMailAddress>&x;</EMailAddress></Request>
            </Autodiscover>""";

        assertThat(OutlookAutodiscover.requestedAddress(entity)).isEmpty();
    }

    @Test
    void anOversizedOrMalformedRequestNamesNoAddress() {
        String padded = OUTLOOK_REQUEST.replace("<Request>", "<Request>" + " ".repeat(OutlookAutodiscover.MAX_REQUEST_BYTES));

        assertThat(OutlookAutodiscover.requestedAddress(padded)).isEmpty();
        assertThat(OutlookAutodiscover.requestedAddress("not xml")).isEmpty();
        assertThat(OutlookAutodiscover.requestedAddress(OUTLOOK_REQUEST.replace("alice@example.test", "&lt;b&gt;alice@example.test"))).isEmpty();
        assertThat(OutlookAutodiscover.requestedAddress(OUTLOOK_REQUEST.replace("alice@example.test", "alice@exa mple.test"))).isEmpty();
    }

    @Test
    void theResponseListsImapThenSmtpInTheSettingsOrderWithTheirEncryption() throws Exception {
        Document response = parse(new OutlookAutodiscover(SETTINGS).response(new ClientAddress("alice", "example.test")));

        List<Element> protocols = elements(response, "Protocol");
        assertThat(protocols).extracting(protocol -> text(protocol, "Type") + " " + text(protocol, "Server") + ":"
                + text(protocol, "Port") + " " + text(protocol, "Encryption"))
            .containsExactly("IMAP " + HOST + ":993 SSL", "IMAP " + HOST + ":143 TLS", "SMTP " + HOST + ":465 SSL", "SMTP " + HOST + ":587 TLS");
        assertThat(protocols).extracting(protocol -> text(protocol, "LoginName")).containsOnly("alice@example.test");
        assertThat(response.getDocumentElement().getNamespaceURI()).isEqualTo("http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006");
        assertThat(elements(response, "Response").get(0).getNamespaceURI())
            .isEqualTo("http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a");
    }
}
