package org.maildeck.mailets.smtpd;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.junit.jupiter.api.Test;

class ReplyLineLimitTest {

    private final ReplyLineLimit limit = new ReplyLineLimit();

    @Test
    void aReplyWithinTheLimitIsLeftAsItIs() {
        SMTPResponse reply = new SMTPResponse("250", "x".repeat(506));

        assertThat(limit.onResponse(null, reply, 0, null)).isSameAs(reply);
    }

    @Test
    void longLinesAreCutTo510BytesAndTheOthersKept() {
        SMTPResponse reply = new SMTPResponse("250", "mx.example Hello " + "h".repeat(2000));
        reply.appendLine("PIPELINING");
        reply.appendLine("SIZE " + "9".repeat(600));
        reply.setEndSession(true);

        Response cut = limit.onResponse(null, reply, 0, null);

        assertThat(cut.getRetCode()).isEqualTo("250");
        assertThat(cut.isEndSession()).isTrue();
        assertThat(cut.getLines()).hasSize(3);
        assertThat(cut.getLines().get(0).toString()).hasSize(510).startsWith("250-mx.example Hello hhh").endsWith("h...");
        assertThat(cut.getLines().get(1).toString()).isEqualTo("250-PIPELINING");
        assertThat(cut.getLines().get(2).toString()).hasSize(510).startsWith("250 SIZE 999").endsWith("9...");
    }
}
