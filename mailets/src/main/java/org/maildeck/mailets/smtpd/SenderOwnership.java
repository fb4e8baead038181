package org.maildeck.mailets.smtpd;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.apache.commons.configuration2.Configuration;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.core.Username;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.MailHook;
import org.apache.james.rrt.api.CanSendFrom;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;

import com.google.common.base.Splitter;

/**
 * Whose envelope sender a client may use (Postfix {@code reject_sender_login_mismatch}):
 * <ul>
 *   <li>a logged-in user only its own address and the aliases that deliver to it
 *   ({@code maildeck alias}); anything else is {@code 553 5.7.1 <sender>: Sender address
 *   rejected: not owned by user <login>}. Users in {@code mayUseAnySender} (e.g. a web
 *   application's account) are exempt;</li>
 *   <li>a client that neither logged in nor connects from a trusted network may not use an
 *   address of a local domain ({@code 553 5.7.1 <sender>: Sender address rejected: not logged
 *   in}), unless {@code localSendersNeedLogin} is false.</li>
 * </ul>
 * The null sender {@code <>} (bounces) is always allowed. It replaces James's
 * {@code SenderAuthIdentifyVerificationHook} and its {@code <verifyIdentity>} switch.
 */
public class SenderOwnership implements MailHook {

    private final DomainList domains;
    private final UsersRepository users;
    private final CanSendFrom canSendFrom;
    private Set<String> mayUseAnySender = Set.of();
    private boolean localSendersNeedLogin = true;

    @Inject
    public SenderOwnership(DomainList domains, UsersRepository users, CanSendFrom canSendFrom) {
        this.domains = domains;
        this.users = users;
        this.canSendFrom = canSendFrom;
    }

    @Override
    public void init(Configuration config) {
        mayUseAnySender = Splitter.onPattern("[,\\s]+").omitEmptyStrings()
            .splitToStream(config.getString("mayUseAnySender", ""))
            .map(user -> user.toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
        localSendersNeedLogin = config.getBoolean("localSendersNeedLogin", true);
    }

    @Override
    public HookResult doMail(SMTPSession session, MaybeSender sender) {
        if (sender.isNullSender()) {
            return HookResult.DECLINED;
        }
        MailAddress address = sender.get();
        try {
            Username login = session.getUsername();
            if (login != null) {
                if (mayUseAnySender.contains(login.asString().toLowerCase(Locale.ROOT))
                        || canSendFrom.userCanSendFrom(login, users.getUsername(address))) {
                    return HookResult.DECLINED;
                }
                return SessionReject.permanent("553", "5.7.1 <" + address.asString()
                        + ">: Sender address rejected: not owned by user " + login.asString())
                    .log(session, "MAIL", sender, Optional.empty());
            }
            if (localSendersNeedLogin && !session.isRelayingAllowed() && domains.containsDomain(address.getDomain())) {
                return SessionReject.permanent("553", "5.7.1 <" + address.asString()
                        + ">: Sender address rejected: not logged in")
                    .log(session, "MAIL", sender, Optional.empty());
            }
            return HookResult.DECLINED;
        } catch (UsersRepositoryException | DomainListException e) {
            return SessionReject.lookupFailure(address)
                .log(session, "MAIL", sender, Optional.empty());
        }
    }
}
