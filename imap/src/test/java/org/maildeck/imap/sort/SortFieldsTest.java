package org.maildeck.imap.sort;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The fields RFC 5256 §3 and RFC 5957 compare, read from a message's header. */
class SortFieldsTest {

    private static SortFields of(String... nameValuePairs) {
        List<SortFields.Field> header = new ArrayList<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            header.add(new SortFields.Field(nameValuePairs[i], nameValuePairs[i + 1]));
        }
        return SortFields.of(7, 1_000L, 42, header);
    }

    @Test
    void dateIsTheDateHeaderInUtc() {
        assertThat(of("Date", "Sat, 24 Mar 2007 23:00:00 -0700 (PDT)").sent()).isEqualTo(1174802400000L);
    }

    @Test
    void anUnreadableDateHeaderFallsBackToTheInternalDate() {
        assertThat(of("Date", "yesterday, around noon").sent()).isEqualTo(1_000L);
    }

    @Test
    void fromIsTheMailboxOfTheFirstAddressInAsciiUpperCase() {
        assertThat(of("From", "\"Someone\" <Alice.B@example.com>, bob@example.com").from()).isEqualTo("ALICE.B");
    }

    @Test
    void displayFromIsTheDecodedDisplayNameOrElseTheAddress() {
        assertThat(of("From", "=?UTF-8?Q?Ren=C3=A9?= <r@example.com>").displayFrom()).isEqualTo(Casemap.unicode("René"));
        assertThat(of("From", "<r@example.com>").displayFrom()).isEqualTo(Casemap.unicode("r@example.com"));
    }

    @Test
    void referencesAreReadAcrossFoldedLines() {
        assertThat(of("References", "<a@x>\r\n\t<b@x>\r\n <c@x>").references()).containsExactly("a@x", "b@x", "c@x");
    }

    @Test
    void subjectIsTheBaseSubjectOfTheDecodedSubject() {
        SortFields fields = of("Subject", "Re: =?UTF-8?B?w6l0w6k=?=");
        assertThat(fields.subject()).isEqualTo(Casemap.unicode("été"));
        assertThat(fields.isReplyOrForward()).isTrue();
    }
}
