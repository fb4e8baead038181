package org.maildeck.mailets.sieve;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;

import org.apache.jsieve.parser.generated.ParseException;
import org.junit.jupiter.api.Test;

class ExtendedSieveFactoryTest {

    @Test
    void aScriptRequiringEachAddedExtensionParses() throws Exception {
        String script = "require [\"fileinto\", \"copy\", \"mailbox\", \"variables\", \"relational\", \"subaddress\", \"envelope\","
            + " \"ereject\", \"imap4flags\", \"comparator-i;ascii-numeric\"];\r\n"
            + "set :upper \"x\" \"y\";\r\n"
            + "if allof (envelope :detail \"to\" \"lists\", header :count \"ge\" :comparator \"i;ascii-numeric\" \"Received\" \"3\","
            + " string :matches \"${x}\" \"*\", mailboxexists \"Work\") { fileinto :copy :create \"Work\"; }\r\n";

        assertThatCode(() -> parse(script)).doesNotThrowAnyException();
    }

    @Test
    void blocksNestedDeeperThanTheLimitAreRefused() {
        int depth = ExtendedSieveFactory.MAX_NESTING + 1;
        String script = "if true {\r\n".repeat(depth) + "keep;\r\n" + "}\r\n".repeat(depth);

        assertThatThrownBy(() -> parse(script)).isInstanceOf(ParseException.class).hasMessageContaining("nested too deeply");
    }

    @Test
    void testsNestedDeeperThanTheStackAreASyntaxErrorNotACrash() {
        String script = "if " + "not ".repeat(200_000) + "true { keep; }\r\n";

        assertThatThrownBy(() -> parse(script)).isInstanceOf(ParseException.class).hasMessageContaining("nested too deeply");
    }

    private static void parse(String script) throws Exception {
        ExtendedSieveFactory.create().parse(new ByteArrayInputStream(script.getBytes(UTF_8)));
    }
}
