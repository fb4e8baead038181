package org.maildeck.mailets.smtpd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PostfixQueueIdTest {

    @Test
    void takesTheIdFromAReceivedFieldPostfixWrote() {
        assertThat(PostfixQueueId.of("from client.test (localhost [127.0.0.1])\r\n\tby mx.example.com (Postfix) with ESMTP id 4F3A2B1C0D\r\n"
            + "\tfor <bob@example.com>; Sun, 6 Dec 2026 22:40:35 +0000 (UTC)")).hasValue("4F3A2B1C0D");
    }

    @Test
    void takesTheLongQueueIdFormat() {
        assertThat(PostfixQueueId.of("by mx.example.com (Postfix) with ESMTPS id 4QxYz12abcz3Bcd")).hasValue("4QxYz12abcz3Bcd");
    }

    @Test
    void ignoresAReceivedFieldOfAnotherServer() {
        assertThat(PostfixQueueId.of("from mx.example.com ([127.0.0.1]) by maildeck.example.com (JAMES SMTP Server) with ESMTP ID 1234abcd"))
            .isEmpty();
    }
}
