package org.maildeck.imap.binary;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;

import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.message.BodyFetchElement;
import org.apache.james.imap.api.message.FetchData;
import org.apache.james.imap.decode.ImapRequestStreamLineReader;
import org.apache.james.imap.message.request.FetchRequest;
import org.apache.james.imap.message.response.UnpooledStatusResponseFactory;
import org.junit.jupiter.api.Test;

/** The FETCH arguments with BINARY items as James's FETCH parser is then given them. */
class BinaryFetchCommandParserTest {

    private static FetchData parsed(String arguments) throws Exception {
        BinaryFetchCommandParser parser = new BinaryFetchCommandParser(new UnpooledStatusResponseFactory());
        ImapRequestStreamLineReader line = new ImapRequestStreamLineReader(
            new ByteArrayInputStream((arguments + "\r\n").getBytes(ISO_8859_1)), OutputStream.nullOutputStream());
        Object request = parser.decode(line, new Tag("a"), false, null);
        assertThat(request).isInstanceOf(FetchRequest.class);
        return ((FetchRequest) request).getFetch();
    }

    @Test
    void aBinaryItemBecomesItsPartAndItsMimeHeader() throws Exception {
        FetchData fetch = parsed(" 1 (FLAGS BINARY.PEEK[1.2]<0.10> BODY.PEEK[HEADER.FIELDS (FROM TO)])");

        assertThat(fetch.getBodyElements()).extracting(BodyFetchElement::getResponseName)
            .containsExactlyInAnyOrder("BODY[HEADER.FIELDS (FROM TO)]", "BINARY[1.2]<0.10>", "BINARY.MIME[1.2]");
        assertThat(fetch.isSetSeen()).isFalse();
        assertThat(fetch.contains(FetchData.Item.FLAGS)).isTrue();
        assertThat(fetch.contains(FetchData.Item.MODSEQ)).isFalse();
    }

    @Test
    void aSingleBinaryItemWithoutParentheses() throws Exception {
        FetchData fetch = parsed("1:* BINARY[]");

        assertThat(fetch.getBodyElements()).extracting(BodyFetchElement::getResponseName).containsExactly("BINARY[]");
        assertThat(fetch.isSetSeen()).isTrue();
    }
}
