package org.maildeck.assembly.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Maildeck's DKIM signature survives a relay through a real Postfix ({@link PostfixProcess}):
 * Maildeck signs and hands outbound mail to Postfix (its RemoteDelivery gateway), Postfix relays
 * it to an {@link SmtpSink}, and what arrives there still verifies with dkimpy (Debian's
 * python3-dkim), the key record given as {@code maildeck dkim show} prints it.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class DkimPostfixRelayIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static SmtpSink nextHop;
    private static PostfixProcess postfix;
    private static MaildeckInstance server;

    @BeforeAll
    static void start() throws Exception {
        nextHop = new SmtpSink();
        postfix = PostfixProcess.start(PostfixProcess.Options.relayingTo(nextHop.port()));
        server = MaildeckInstance.create((fileName, content) -> fileName.equals("mailetcontainer.xml")
            // Postfix is the gateway; a new key is looked for every second, not every ten
            ? SmtpSink.gatewayAt(content, postfix.smtpPort())
                .replace("<recheckSeconds>10</recheckSeconds>", "<recheckSeconds>1</recheckSeconds>")
            : content).start();
    }

    @AfterAll
    static void stop() throws Exception {
        ClassScopedResources.closeAll(server, postfix, nextHop);
    }

    @Test
    void ourSignatureStillVerifiesAfterARelayThroughPostfix() throws Exception {
        String domain = "relayed-" + UUID.randomUUID().toString().substring(0, 8) + ".maildeck.test";
        new WebAdmin(server).addDomain(domain);
        DkimIT.keygen(server, domain, "relay");
        String[] record = DkimIT.shownRecord(server, domain);
        Thread.sleep(2500);
        String recipient = "r-" + UUID.randomUUID().toString().substring(0, 8) + "@elsewhere.example";
        String message = "From: App <app@" + domain + ">\r\nTo: <" + recipient + ">\r\nSubject: through Postfix\r\n"
            + "Date: Mon, 7 Dec 2026 05:00:00 +0000\r\nMessage-ID: <" + UUID.randomUUID() + "@" + domain + ">\r\n"
            + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
            + "Hello,\r\n\r\n  spaces  kept, a long line " + "x".repeat(200) + "\r\n.leading dot\r\n\r\n";

        SmtpClient.deliver(server.port("smtp"), "app@" + domain, List.of(recipient), message.getBytes(ISO_8859_1));

        Optional<SmtpSink.Received> received = nextHop.awaitMessageFor(recipient, WAIT);
        assertThat(received).as("relayed by Postfix to the next hop").isPresent();
        String data = received.get().data();
        assertThat(data).contains("DKIM-Signature: ").contains("d=" + domain).contains("(Postfix) with ESMTP id");
        byte[] verdict = DkimIT.run(data.getBytes(ISO_8859_1), "/usr/bin/python3", DkimIT.verifier(), record[0] + "=" + record[1]);
        assertThat(new String(verdict, ISO_8859_1).strip()).as("dkimpy's verdict").isEqualTo("pass");
    }
}
