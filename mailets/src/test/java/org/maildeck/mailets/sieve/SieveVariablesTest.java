package org.maildeck.mailets.sieve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.apache.jsieve.exception.SieveException;
import org.junit.jupiter.api.Test;

class SieveVariablesTest {

    private final SieveVariables variables = new SieveVariables();

    @Test
    void withoutRequireADollarBraceIsText() throws Exception {
        variables.set("name", "value");

        assertThat(variables.expand("${name}")).isEqualTo("${name}");
    }

    @Test
    void aSetVariableIsExpandedWhateverTheCaseOfItsName() throws Exception {
        variables.require();
        variables.set("Folder", "Work");

        assertThat(variables.expand("INBOX.${folder}.${FOLDER}")).isEqualTo("INBOX.Work.Work");
    }

    @Test
    void aVariableNeverSetIsEmpty() throws Exception {
        variables.require();

        assertThat(variables.expand("[${unset}]")).isEqualTo("[]");
    }

    @Test
    void matchVariablesAreTheGroupsOfTheLastMatch() throws Exception {
        variables.require();
        variables.matched(List.of("[acme] hello", "acme", "hello"));

        assertThat(variables.expand("${0}|${1}|${2}|${3}")).isEqualTo("[acme] hello|acme|hello|");
    }

    @Test
    void whatIsNotAVariableNameStaysText() throws Exception {
        variables.require();
        variables.set("a", "x");

        assertThat(variables.expand("${a-b} ${} ${${a}}")).isEqualTo("${a-b} ${} ${x}");
    }

    @Test
    void aValueIsCutAtTheLimit() throws Exception {
        variables.require();
        variables.set("long", "y".repeat(SieveVariables.MAX_VALUE_CHARS + 100));

        assertThat(variables.expand("${long}")).hasSize(SieveVariables.MAX_VALUE_CHARS);
    }

    @Test
    void anExpansionOverTheLimitIsRefused() throws Exception {
        variables.require();
        variables.set("long", "y".repeat(SieveVariables.MAX_VALUE_CHARS));

        assertThatThrownBy(() -> variables.expand("${long}".repeat(20))).isInstanceOf(SieveException.class)
            .hasMessageContaining("longer than");
    }

    @Test
    void moreVariablesThanTheLimitAreRefused() throws Exception {
        for (int i = 0; i < SieveVariables.MAX_VARIABLES; i++) {
            variables.set("v" + i, "");
        }

        assertThatThrownBy(() -> variables.set("onemore", "")).isInstanceOf(SieveException.class);
    }
}
