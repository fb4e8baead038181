package org.maildeck.imap;

import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapProcessor;
import org.apache.james.imap.processor.DefaultProcessor;
import org.maildeck.imap.context.ContextUpdates;
import org.maildeck.imap.context.QuietSearch;
import org.maildeck.imap.list.ListOfPatternsProcessor;
import org.maildeck.mailets.auth.LoginThrottle;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;

/**
 * Overrides James's IMAP processor binding: its processors behind {@link LoginThrottledImapProcessor},
 * and behind {@link ListOfPatternsProcessor} for the LIST requests of {@code ListOfPatternsModule},
 * all started in the session's turn ({@link InTurnImapProcessor}) after the session is told of
 * the changes in its folder ({@link FolderChangesFirst}), and followed by the updates of its
 * searches with RETURN (UPDATE) ({@link ContextUpdates}).
 */
public class ImapLoginThrottleModule extends AbstractModule {

    @Provides
    ImapProcessor processor(DefaultProcessor james, LoginThrottle throttle, StatusResponseFactory responses, QuietSearch search) {
        return new InTurnImapProcessor(new FolderChangesFirst(new ContextUpdates(
            new LoginThrottledImapProcessor(new ListOfPatternsProcessor(james), throttle, responses), search)));
    }
}
