package org.maildeck.mailets.sieve;

import java.util.Set;

import org.apache.jsieve.Arguments;
import org.apache.jsieve.Block;
import org.apache.jsieve.SieveContext;
import org.apache.jsieve.commands.optional.FileInto;
import org.apache.jsieve.exception.SieveException;
import org.apache.jsieve.mail.MailAdapter;

/**
 * jSieve's {@code fileinto} with RFC 3894's {@code :copy} (the implicit keep is not cancelled:
 * the mail is also kept) and RFC 5490's {@code :create} (accepted: the delivery creates a
 * missing folder anyway, as Dovecot's LDA does with {@code lda_mailbox_autocreate}).
 */
public class FileIntoCommand extends FileInto {

    static final Set<String> TAGS = Set.of(":copy", ":create");

    @Override
    public Object execute(MailAdapter mail, Arguments arguments, Block block, SieveContext context) throws SieveException {
        ActionTags tags = ActionTags.parse(arguments, context, TAGS);
        return tags.run(context, rest -> super.execute(mail, rest, block, context));
    }
}
