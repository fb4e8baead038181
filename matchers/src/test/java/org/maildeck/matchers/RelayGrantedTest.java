package org.maildeck.matchers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.james.core.MailAddress;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.maildeck.mailets.smtpd.RelayDecision;

class RelayGrantedTest {

    private final RelayGranted matcher = new RelayGranted();

    @BeforeEach
    void init() throws Exception {
        matcher.init(FakeMatcherConfig.builder().matcherName("RelayGranted").build());
    }

    @Test
    void matchesOnlyTheRecipientsTheSmtpServerGranted() throws Exception {
        FakeMail mail = FakeMail.builder().name("m")
            .recipients("bob@remote.example", "carol@other.example")
            .attribute(new Attribute(RelayDecision.GRANTED,
                AttributeValue.of(List.of(AttributeValue.of("bob@remote.example")))))
            .build();

        assertThat(matcher.match(mail)).containsExactly(new MailAddress("bob@remote.example"));
    }

    @Test
    void mailWithoutTheAttributeMatchesNobody() throws Exception {
        FakeMail mail = FakeMail.builder().name("m").recipients("bob@remote.example").build();

        assertThat(matcher.match(mail)).isEmpty();
    }

    @Test
    void anAttributeOfAnotherTypeMatchesNobody() throws Exception {
        FakeMail mail = FakeMail.builder().name("m").recipients("bob@remote.example")
            .attribute(new Attribute(RelayDecision.GRANTED, AttributeValue.of("bob@remote.example")))
            .build();

        assertThat(matcher.match(mail)).isEmpty();
    }
}
