package org.maildeck.assembly.mailbox.search;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ComparedFormsTest {

    @Test
    void aShortValuesDecodedFormIsRemembered() {
        String subject = "=?ISO-8859-1?Q?caf=E9?= order " + System.nanoTime();

        assertThat(ComparedForms.decoded(subject)).startsWith("CAFÉ ORDER ");
        assertThat(ComparedForms.decodedFormRemembered(subject)).isTrue();
    }

    @Test
    void aValueLongerThanTheRememberedLengthIsDecodedEachTimeAndNotKept() {
        String subject = "=?ISO-8859-1?Q?caf=E9?= " + "x".repeat(ComparedForms.MAX_REMEMBERED_LENGTH);

        assertThat(ComparedForms.decoded(subject)).isEqualTo("CAFÉ " + "X".repeat(ComparedForms.MAX_REMEMBERED_LENGTH));
        assertThat(ComparedForms.decodedFormRemembered(subject)).isFalse();
    }
}
