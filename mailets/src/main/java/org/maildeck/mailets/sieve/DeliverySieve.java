package org.maildeck.mailets.sieve;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.core.Username;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.mailbox.model.MailboxConstants;
import org.apache.james.sieverepository.api.SieveRepository;
import org.apache.james.sieverepository.api.exception.ScriptNotFoundException;
import org.apache.james.transport.mailets.jsieve.ResourceLocator;
import org.apache.james.transport.mailets.jsieve.delivery.SieveExecutor;
import org.apache.james.transport.mailets.jsieve.delivery.SievePoster;
import org.apache.james.user.api.UsersRepository;
import org.apache.jsieve.SieveConfigurationException;
import org.apache.jsieve.SieveFactory;
import org.apache.jsieve.exception.SieveException;
import org.apache.jsieve.parser.generated.ParseException;
import org.apache.jsieve.parser.generated.TokenMgrError;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.maildeck.durability.Durability;
import org.maildeck.mailets.MaildirDelivery;
import org.maildeck.maildir.MaildirFolder;
import org.maildeck.maildir.MaildirLayout;
import org.maildeck.maildir.james.MaildirMailboxes;

/**
 * Runs each local recipient's active Sieve script at delivery, as Dovecot's LDA runs
 * Pigeonhole's: the script from the recipient's home ({@link PigeonholeScripts}), parsed and
 * evaluated by jSieve with James's mail adapter and actions ({@link DeliveryActions}), the
 * outcome left on the mail for the mailets after it (the folder in the recipient's
 * {@code StorageDirective} for {@code MaildirDelivery}, the recipient removed for
 * {@code discard}, {@code redirect} and {@code reject}).
 *
 * <p>A script that cannot be run (unreadable, refused by {@link PigeonholeScripts}, a syntax
 * error, an unknown extension, a {@code :matches} over its budget, an action that failed) never
 * costs the mail: the recipient keeps it in INBOX as if there were no script, and the mail log
 * says why ({@code relay=sieve, script failed (...)}). Unlike James's {@code Sieve} mailet, no
 * notice is mailed to the user (Pigeonhole logs, too).</p>
 *
 * <p>Parameters: {@code maxScriptBytes}, the largest script run (default 1 MiB, Pigeonhole's
 * {@code sieve_max_script_size}); {@code before}, a script run for every recipient before the
 * recipient's own (Pigeonhole's {@code sieve_before}, e.g. {@code file://conf/sieve-before.sieve}),
 * read and checked once at start: a broken one stops the server from starting. When it fails on a
 * mail, or removes the recipient ({@code discard}, {@code redirect}, {@code reject}), the user's
 * script is not run. {@code recipientDelimiter} ({@code +}): the characters that cut
 * {@code user+detail} for {@code subaddress}, as {@code usersrepository.xml}'s
 * {@code recipientDelimiter}; {@code bounceProcessor} ({@code bounces}): where {@code ereject}
 * sends its refusal, to become a delivery status notice.</p>
 */
public class DeliverySieve extends GenericMailet {

    private static final int DEFAULT_MAX_SCRIPT_BYTES = 1 << 20;
    /** StorageDirective's attribute names, each followed by the user name (its constants are private). */
    private static final List<String> DIRECTIVE_PREFIXES = List.of("DeliveryPath_", "Seen_", "Important_", "Keywords_",
        FolderCopies.PREFIX);

    private final UsersRepository users;
    private final SieveRepository database;
    private final MaildirLayout layout;
    private final FileSystem fileSystem;
    private PigeonholeScripts scripts;
    private Optional<byte[]> before;
    private SieveFactory jsieve;
    private DeliveryActions actions;
    private SievePoster fileInto;
    private String recipientDelimiters;

    @Inject
    public DeliverySieve(UsersRepository users, SieveRepository database, MaildirMailboxes mailboxes, FileSystem fileSystem) {
        this.users = users;
        this.database = database;
        this.layout = mailboxes.store().layout();
        this.fileSystem = fileSystem;
    }

    @Override
    public String getMailetInfo() {
        return "Maildeck Sieve at delivery (Pigeonhole's script layout)";
    }

    @Override
    public void init() throws MessagingException {
        int maxScriptBytes = Integer.parseInt(getInitParameter("maxScriptBytes", String.valueOf(DEFAULT_MAX_SCRIPT_BYTES)).trim());
        scripts = new PigeonholeScripts(layout, database, users, maxScriptBytes);
        jsieve = boundedJsieve();
        actions = new DeliveryActions(new VacationMemory(Durability.UNWATCHED, Clock.systemUTC()),
            getInitParameter("bounceProcessor", "bounces").trim());
        recipientDelimiters = getInitParameter("recipientDelimiter", "+").trim();
        fileInto = new SievePoster(users, MailboxConstants.INBOX);
        before = globalScript(Optional.ofNullable(getInitParameter("before")).map(String::trim).filter(url -> !url.isEmpty()));
    }

    /** The {@code before} script, parsed once here so that a broken one is the admin's start-up error, not every mail's. */
    private Optional<byte[]> globalScript(Optional<String> url) throws MessagingException {
        if (url.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream in = fileSystem.getResource(url.get())) {
            byte[] script = in.readAllBytes();
            jsieve.parse(new ByteArrayInputStream(script));
            return Optional.of(script);
        } catch (java.io.IOException | ParseException e) {
            throw new MessagingException("Sieve script " + url.get() + " (before): " + e.getMessage(), e);
        } catch (TokenMgrError e) {
            throw new MessagingException("Sieve script " + url.get() + " (before): " + e.getMessage());
        }
    }

    /** jSieve with Maildeck's extensions and bounds ({@link ExtendedSieveFactory}): delivery's and ManageSieve's checks alike. */
    public static SieveFactory boundedJsieve() throws MessagingException {
        try {
            return ExtendedSieveFactory.create();
        } catch (SieveConfigurationException e) {
            throw new MessagingException("cannot configure jSieve: " + e.getMessage(), e);
        }
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        // a failure notice of James's own Sieve, should one come by, is not filtered again
        boolean notice = AttributeUtils.getValueAndCastFromMail(mail, SieveExecutor.SIEVE_NOTIFICATION, Boolean.class).orElse(false);
        if (notice) {
            return;
        }
        for (MailAddress recipient : List.copyOf(mail.getRecipients())) {
            runFor(recipient, mail);
        }
    }

    private void runFor(MailAddress recipient, Mail mail) throws MessagingException {
        Optional<ResourceLocator.UserSieveInformation> script;
        Path home;
        try {
            home = scripts.home(recipient);
            script = userScript(recipient);
        } catch (Exception unusable) {
            SieveLog.failed(mail, recipient, unusable.getMessage());
            return;
        }
        if (before.isEmpty() && script.isEmpty()) {
            return; // most recipients: nothing to run
        }
        Username user = userOf(recipient);
        Map<AttributeName, Optional<Attribute>> directiveBefore = directive(mail, user);
        try {
            if (before.isPresent()) {
                evaluate(mail, recipient, user, home, new ByteArrayInputStream(before.get()), ZonedDateTime.now(ZoneOffset.UTC));
            }
            if (script.isPresent() && mail.getRecipients().contains(recipient)) {
                try (InputStream content = script.get().getScriptContent()) {
                    evaluate(mail, recipient, user, home, content, script.get().getScriptActivationDate());
                }
            }
        } catch (ParseException | SieveException | TokenMgrError | RuntimeException | java.io.IOException failed) {
            keepInInbox(mail, recipient, directiveBefore);
            SieveLog.failed(mail, recipient, describe(failed));
        }
    }

    private Optional<ResourceLocator.UserSieveInformation> userScript(MailAddress recipient) throws Exception {
        try {
            return Optional.of(scripts.get(recipient));
        } catch (ScriptNotFoundException none) {
            return Optional.empty();
        }
    }

    /** One script's run, with an adapter of its own: jSieve's adapter collects the actions it then executes. */
    private void evaluate(Mail mail, MailAddress recipient, Username user, Path home, InputStream script, ZonedDateTime activated)
            throws ParseException, SieveException {
        RecipientMailAdapter adapter = new RecipientMailAdapter(mail, getMailetContext(), actions, fileInto,
            activated, ZonedDateTime.now(ZoneOffset.UTC), recipient, user, home, recipientDelimiters, folder -> hasFolder(user, folder));
        SieveCounters.scriptRun();
        jsieve.evaluate(adapter, jsieve.parse(script));
        adapter.applyFolders();
    }

    /** {@code mailboxexists}: the folder's directory is a Maildir (named as {@code MaildirDelivery} names a fileinto's folder). */
    private boolean hasFolder(Username user, String folder) {
        try {
            Path maildir = layout.userMaildir(user.asString());
            return MaildirFolder.looksLikeMaildir(layout.folderDirectory(maildir, MaildirDelivery.folderName(folder)));
        } catch (MaildirLayout.InvalidNameException unusable) {
            return false;
        }
    }

    /** Undoes what the actions before the failure did to this recipient's delivery. */
    private static void keepInInbox(Mail mail, MailAddress recipient, Map<AttributeName, Optional<Attribute>> directiveBefore) {
        if (!mail.getRecipients().contains(recipient)) {
            List<MailAddress> restored = new ArrayList<>(mail.getRecipients());
            restored.add(recipient);
            mail.setRecipients(restored);
        }
        directiveBefore.forEach((name, before) -> before.ifPresentOrElse(mail::setAttribute, () -> mail.removeAttribute(name)));
    }

    /** The attributes James's StorageDirective keeps the recipient's folder and flags in, as they are now. */
    private static Map<AttributeName, Optional<Attribute>> directive(Mail mail, Username user) {
        Map<AttributeName, Optional<Attribute>> attributes = new LinkedHashMap<>();
        for (String prefix : DIRECTIVE_PREFIXES) {
            AttributeName name = AttributeName.of(prefix + user.asString());
            attributes.put(name, mail.getAttribute(name));
        }
        return attributes;
    }

    private Username userOf(MailAddress recipient) throws MessagingException {
        try {
            return users.getUsername(recipient);
        } catch (org.apache.james.user.api.UsersRepositoryException e) {
            throw new MessagingException("cannot name the user of " + recipient.asString(), e);
        }
    }

    private static String describe(Throwable failed) {
        String message = failed.getMessage() == null ? failed.getClass().getSimpleName() : failed.getMessage();
        Throwable cause = failed.getCause();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message += ": " + cause.getMessage();
        }
        return message;
    }
}
