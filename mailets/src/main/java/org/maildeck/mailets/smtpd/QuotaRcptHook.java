package org.maildeck.mailets.smtpd;

import java.util.Map;

import javax.inject.Inject;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.core.Username;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.quota.QuotaManager;
import org.apache.james.mailbox.quota.UserQuotaRootResolver;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.RcptHook;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;
import org.maildeck.mailets.LimitsFirstQuotaManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses, at RCPT time, a local recipient whose mailbox is full: {@code 452 4.2.2 <rcpt>:
 * Mailbox full}, a temporary failure, so the sending MTA keeps the mail and tries again
 * (Dovecot's quota-status policy service does the same for Postfix). Recipients that are not
 * local users are left to the other handlers. A user without limits costs no count of their
 * Maildir ({@link LimitsFirstQuotaManager}).
 */
public class QuotaRcptHook implements RcptHook {

    private static final Logger LOGGER = LoggerFactory.getLogger(QuotaRcptHook.class);

    private final UsersRepository users;
    private final UserQuotaRootResolver quotaRoots;
    private final QuotaManager quotas;

    @Inject
    public QuotaRcptHook(UsersRepository users, UserQuotaRootResolver quotaRoots, LimitsFirstQuotaManager quotas) {
        this.users = users;
        this.quotaRoots = quotaRoots;
        this.quotas = quotas;
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt, Map<String, String> parameters) {
        return doRcpt(session, sender, rcpt);
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt) {
        try {
            Username user = users.getUsername(rcpt);
            if (!users.contains(user)) {
                return HookResult.DECLINED;
            }
            QuotaManager.Quotas usage = quotas.getQuotas(quotaRoots.forUser(user));
            if (usage.getMessageQuota().isOverQuotaWithAdditionalValue(1)
                    || usage.getStorageQuota().isOverQuotaWithAdditionalValue(1)) {
                LOGGER.info("reject: RCPT from {}: 452 4.2.2 <{}>: Mailbox full (messages {}, bytes {})",
                    session.getRemoteAddress().getAddress().getHostAddress(), rcpt.asString(),
                    usage.getMessageQuota(), usage.getStorageQuota());
                return HookResult.builder()
                    .hookReturnCode(HookReturnCode.denySoft())
                    .smtpReturnCode("452")
                    .smtpDescription("4.2.2 <" + rcpt.asString() + ">: Mailbox full")
                    .build();
            }
            return HookResult.DECLINED;
        } catch (UsersRepositoryException | MailboxException e) {
            LOGGER.warn("could not check the quota of {}: {}", rcpt.asString(), e.toString());
            return HookResult.builder()
                .hookReturnCode(HookReturnCode.denySoft())
                .smtpReturnCode("451")
                .smtpDescription("4.3.0 Temporary failure checking the recipient's mailbox")
                .build();
        }
    }
}
