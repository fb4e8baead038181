package org.maildeck.autoconfig;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.commons.configuration2.XMLConfiguration;
import org.apache.commons.configuration2.io.FileHandler;
import org.junit.jupiter.api.Test;

class ClientListenersTest {

    private static final Path SHIPPED = Path.of("..", "conf", "files");
    private static final String HOST = "mail.example.test";

    @Test
    void theShippedListenersOfferImapsBeforeImapWithStartTls() throws Exception {
        MailClientSettings settings = ClientListeners.read(HOST, shipped("imapserver.xml"), shipped("smtpserver.xml"));

        assertThat(settings.incoming()).containsExactly(
            new Endpoint(HOST, 2993, Endpoint.Security.IMPLICIT_TLS),
            new Endpoint(HOST, 2143, Endpoint.Security.STARTTLS));
    }

    @Test
    void theShippedListenersOfferSmtpsAndSubmissionButNotPort25OrTheFilterPort() throws Exception {
        MailClientSettings settings = ClientListeners.read(HOST, shipped("imapserver.xml"), shipped("smtpserver.xml"));

        assertThat(settings.outgoing()).containsExactly(
            new Endpoint(HOST, 2465, Endpoint.Security.IMPLICIT_TLS),
            new Endpoint(HOST, 2587, Endpoint.Security.STARTTLS));
    }

    @Test
    void aDisabledListenerIsNotOffered() throws Exception {
        XMLConfiguration imap = parse("""
            <imapservers>
              <imapserver enabled="false"><bind>0.0.0.0:993</bind><tls socketTLS="true"/></imapserver>
              <imapserver><bind>0.0.0.0:143</bind><tls startTLS="true"/></imapserver>
            </imapservers>""");

        assertThat(ClientListeners.read(HOST, imap, parse("<smtpservers/>")).incoming())
            .containsExactly(new Endpoint(HOST, 143, Endpoint.Security.STARTTLS));
    }

    @Test
    void aListenerWithoutTlsIsNotOffered() throws Exception {
        XMLConfiguration imap = parse("""
            <imapservers>
              <imapserver><bind>0.0.0.0:143</bind><tls socketTLS="false" startTLS="false"/></imapserver>
            </imapservers>""");

        MailClientSettings settings = ClientListeners.read(HOST, imap, parse("<smtpservers/>"));

        assertThat(settings.incoming()).isEmpty();
        assertThat(settings.complete()).isFalse();
    }

    @Test
    void onePortBoundOnTwoAddressesIsOneEndpoint() throws Exception {
        XMLConfiguration smtp = parse("""
            <smtpservers>
              <smtpserver><bind>0.0.0.0:587, [::]:587</bind><tls startTLS="true"/>
                <handlerchain><handler class="org.maildeck.mailets.smtpd.AuthRequiredForMail"/></handlerchain>
              </smtpserver>
            </smtpservers>""");

        assertThat(ClientListeners.read(HOST, parse("<imapservers/>"), smtp).outgoing())
            .containsExactly(new Endpoint(HOST, 587, Endpoint.Security.STARTTLS));
    }

    private static XMLConfiguration shipped(String file) throws Exception {
        return parse(Files.readString(SHIPPED.resolve(file)));
    }

    static XMLConfiguration parse(String xml) throws Exception {
        XMLConfiguration configuration = new XMLConfiguration();
        new FileHandler(configuration).load(new java.io.StringReader(xml));
        return configuration;
    }
}
