package org.apache.james.imap.api.display;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModifiedUtf7Test {

    @Test
    void aNameWithoutAmpersandIsItself() {
        assertThat(ModifiedUtf7.decodeModifiedUTF7("Sent Items")).isEqualTo("Sent Items");
    }

    @Test
    void aValidNameIsDecoded() {
        assertThat(ModifiedUtf7.decodeModifiedUTF7("&AOk-t&AOk-")).isEqualTo("\u00e9t\u00e9");
        assertThat(ModifiedUtf7.decodeModifiedUTF7("Tom &- Jerry")).isEqualTo("Tom & Jerry");
    }

    @Test
    void aNameThatIsNotModifiedUtf7DecodesWithReplacementCharactersInsteadOfThrowing() {
        assertThat(ModifiedUtf7.decodeModifiedUTF7("!#$&'+,-.0123456789:;<=>?@^_`|}"))
            .isEqualTo("!#$\uFFFD'+,-.0123456789:;<=>?@^_`|}");
        assertThat(ModifiedUtf7.decodeModifiedUTF7("a&")).isEqualTo("a\uFFFD");
    }

    @Test
    void encodingIsDecodingsInverse() {
        String name = "Entw\u00fcrfe & \u65e5\u672c";

        assertThat(ModifiedUtf7.decodeModifiedUTF7(ModifiedUtf7.encodeModifiedUTF7(name))).isEqualTo(name);
    }
}
