package org.maildeck.imap.list;

import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.decode.ImapCommandParserFactory;
import org.apache.james.imap.decode.ImapDecoder;
import org.apache.james.imap.decode.main.DefaultImapDecoder;
import org.maildeck.imap.append.MultiAppendCommandParser;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;

/**
 * Overrides James's IMAP decoder binding: LIST read by {@link ListOfPatternsCommandParser}, APPEND
 * by {@link MultiAppendCommandParser} (RFC 3502), every other command by James's parsers. The requests it makes are answered by
 * {@link ListOfPatternsProcessor}, in front of James's processors (see ImapLoginThrottleModule).
 */
public class ListOfPatternsModule extends AbstractModule {

    @Provides
    ImapDecoder decoder(ImapCommandParserFactory james, StatusResponseFactory responses, MultiAppendCommandParser append) {
        ListOfPatternsCommandParser list = new ListOfPatternsCommandParser(responses);
        ImapCommandParserFactory parsers = command -> {
            if ("LIST".equalsIgnoreCase(command)) {
                return list;
            }
            return "APPEND".equalsIgnoreCase(command) ? append : james.getParser(command);
        };
        return new DefaultImapDecoder(responses, parsers);
    }
}
