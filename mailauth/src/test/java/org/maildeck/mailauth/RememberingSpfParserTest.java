package org.maildeck.mailauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.james.jspf.core.SPF1Record;
import org.apache.james.jspf.core.exceptions.PermErrorException;
import org.apache.james.jspf.impl.DefaultTermsFactory;
import org.apache.james.jspf.wiring.WiringServiceTable;
import org.junit.jupiter.api.Test;

class RememberingSpfParserTest {

    private final RememberingSpfParser parser = new RememberingSpfParser(new DefaultTermsFactory(new WiringServiceTable()));

    @Test
    void aRecordParsedAgainGetsTheTermsOfTheFirstParse() throws Exception {
        SPF1Record first = parser.parse("v=spf1 ip4:192.0.2.0/24 -all");
        SPF1Record again = parser.parse("v=spf1 ip4:192.0.2.0/24 -all");

        assertThat(again.getDirectives()).hasSize(2).containsExactlyElementsOf(first.getDirectives());
    }

    @Test
    void eachParseGetsTermListsOfItsOwn() throws Exception {
        SPF1Record first = parser.parse("v=spf1 ip4:192.0.2.0/24 exp=explain.example.com");
        first.getModifiers().clear();
        first.getDirectives().clear();

        SPF1Record again = parser.parse("v=spf1 ip4:192.0.2.0/24 exp=explain.example.com");

        assertThat(again.getDirectives()).hasSize(1);
        assertThat(again.getModifiers()).hasSize(1);
    }

    @Test
    void aRecordThatDoesNotParseFailsAgainWhenParsedAgain() {
        assertThatThrownBy(() -> parser.parse("v=spf1 ip4:not-an-address -all")).isInstanceOf(PermErrorException.class);

        assertThatThrownBy(() -> parser.parse("v=spf1 ip4:not-an-address -all")).isInstanceOf(PermErrorException.class);
    }
}
