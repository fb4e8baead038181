package org.maildeck.assembly.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An empty {@code recipientDelimiter} turns subaddresses off: {@code user+tag@} is an unknown user. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SubaddressDisabledIT {

    private static final String DOMAIN = "nosubaddress.maildir.test";

    @RegisterExtension
    static final TestServer maildeck = TestServer.own((fileName, content) -> fileName.equals("usersrepository.xml")
        ? content.replace("<recipientDelimiter>+</recipientDelimiter>", "<recipientDelimiter></recipientDelimiter>")
        : content);

    @Test
    void userPlusTagIsRefusedWhenTheDelimiterIsEmpty() throws Exception {
        String tagged = SubaddressIT.withTag(maildeck.newUser("untagged", DOMAIN), "news");
        try (SmtpClient smtp = SmtpClient.outsiderTransaction(maildeck.port("smtp"), "someone@client.test")) {
            SmtpClient.Reply reply = smtp.command("RCPT TO:<" + tagged + ">");
            assertThat(reply.code()).as(reply.toString()).isEqualTo(550);
            assertThat(reply.last()).contains("5.1.1");
        }
    }
}
