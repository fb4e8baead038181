package org.maildeck.overrides;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AddressCommentsTest {

    @Test
    void theCommentAfterABareAddressIsItsName() {
        assertThat(AddressComments.of("user@domain.test (Real Name)").nameOf("user@domain.test")).contains("Real Name");
    }

    @Test
    void theAddressIsLookedUpWhateverItsCase() {
        assertThat(AddressComments.of("User@Domain.test (Real Name)").nameOf("user@domain.TEST")).contains("Real Name");
    }

    @Test
    void eachAddressOfAListHasItsOwnComment() {
        AddressComments comments = AddressComments.of("one@domain.test (First), two@domain.test (Second, Jr.)");

        assertThat(comments.nameOf("one@domain.test")).contains("First");
        assertThat(comments.nameOf("two@domain.test")).contains("Second, Jr.");
    }

    @Test
    void anAddressInAngleBracketsTakesNoNameFromAComment() {
        assertThat(AddressComments.of("<user@domain.test> (Comment)").nameOf("user@domain.test")).isEmpty();
    }

    @Test
    void anAddressWithoutCommentHasNoName() {
        assertThat(AddressComments.of("user@domain.test").nameOf("user@domain.test")).isEmpty();
    }

    @Test
    void anEncodedWordInTheCommentIsDecoded() {
        assertThat(AddressComments.of("user@domain.test (=?UTF-8?Q?Ren=C3=A9?=)").nameOf("user@domain.test")).contains("René");
    }

    @Test
    void nestedCommentsAndEscapesStayInTheName() {
        assertThat(AddressComments.of("user@domain.test (Real \\) (Nested) Name)").nameOf("user@domain.test"))
            .contains("Real ) (Nested) Name");
    }

    @Test
    void anAddressOfAGroupTakesItsComment() {
        assertThat(AddressComments.of("Team: user@domain.test (Real Name), other@domain.test;").nameOf("user@domain.test"))
            .contains("Real Name");
    }
}
