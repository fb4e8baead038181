package org.maildeck.assembly;

import org.apache.james.GuiceJamesServer;
import org.apache.james.NaiveDelegationStoreModule;
import org.apache.james.modules.MailboxModule;
import org.apache.james.modules.MailetProcessingModule;
import org.apache.james.modules.mailbox.DefaultEventModule;
import org.apache.james.modules.protocols.IMAPServerModule;
import org.apache.james.modules.protocols.LMTPServerModule;
import org.apache.james.modules.protocols.POP3ServerModule;
import org.apache.james.modules.protocols.SMTPServerModule;
import org.apache.james.modules.server.DataRoutesModules;
import org.apache.james.modules.server.DefaultProcessorsConfigurationProviderModule;
import org.apache.james.modules.server.InconsistencyQuotasSolvingRoutesModule;
import org.apache.james.modules.server.MailQueueRoutesModule;
import org.apache.james.modules.server.MailRepositoriesRoutesModule;
import org.apache.james.modules.server.MailboxRoutesModule;
import org.apache.james.modules.server.NoJwtModule;
import org.apache.james.modules.server.SieveRoutesModule;
import org.apache.james.modules.server.WebAdminServerModule;
import org.apache.james.server.core.configuration.Configuration;
import org.apache.james.filesystem.api.FileSystem;
import org.maildeck.assembly.auth.LoginThrottleModule;
import org.maildeck.assembly.console.ConsoleModule;
import org.maildeck.assembly.contentfilter.ContentFilterModule;
import org.maildeck.assembly.data.DatabaseHeadStart;
import org.maildeck.assembly.data.DerbyDataModule;
import org.maildeck.assembly.events.DurableEventDeadLettersModule;
import org.maildeck.assembly.events.EventSerializerOnFirstUse;
import org.maildeck.assembly.events.KeyListenersEventBusModule;
import org.maildeck.imap.ImapComplianceModule;
import org.maildeck.imap.binary.BinaryModule;
import org.maildeck.imap.context.ContextSearchModule;
import org.maildeck.imap.sort.SortThreadModule;
import org.maildeck.imap.IndexFlagsFetchProcessor;
import org.maildeck.imap.IndexStatusProcessor;
import org.maildeck.assembly.imap.ImapLiteralGuardModule;
import org.maildeck.imap.ImapLoginThrottleModule;
import org.maildeck.imap.list.ListOfPatternsModule;
import org.maildeck.imap.SpecialUseFolders;
import org.maildeck.assembly.jmx.LoopbackJmxModule;
import org.maildeck.assembly.liveness.LivenessModule;
import org.maildeck.assembly.managesieve.ManageSieveModule;
import org.maildeck.assembly.liveness.TimeBoundHealthChecksModule;
import org.maildeck.assembly.monitoring.MailAuthMonitoringModule;
import org.maildeck.assembly.monitoring.MaildirMonitoringModule;
import org.maildeck.assembly.monitoring.MonitoringModule;
import org.maildeck.assembly.mailbox.MaildirMailboxModule;
import org.maildeck.assembly.milter.MilterModule;
import org.maildeck.assembly.postmaster.PostmasterModule;
import org.maildeck.assembly.quarantine.QuarantineModule;
import org.maildeck.assembly.queue.DurableQueueModule;
import org.maildeck.assembly.smtp.LmtpLimitsModule;
import org.maildeck.assembly.smtp.RenamedHandlerLoader;
import org.maildeck.assembly.smtp.SmtpLimitsModule;
import org.maildeck.assembly.startup.StartupModule;
import org.maildeck.assembly.startup.TaskManagerModule;
import org.maildeck.assembly.startup.UnresolvedHostnameDnsService;
import org.maildeck.assembly.webadmin.WebAdminAuthenticationModule;

import com.google.inject.Module;
import com.google.inject.util.Modules;

/** The Guice composition of the Maildeck server. */
public final class MaildeckServer {

    static final Module PROTOCOLS = Modules.combine(
        // James's handler loader, also accepting the hooks' names from before their move
        new RenamedHandlerLoader.Module(),
        // James's SMTP with Maildeck's line and recipient limits
        Modules.override(new SMTPServerModule()).with(new SmtpLimitsModule()),
        // James's IMAP with our literal guard, SPECIAL-USE names, the shared login throttle and
        // the processors mended where their answers broke an RFC, SORT, THREAD, BINARY and
        // CONTEXT=SEARCH added, and STATUS and FETCH of flags answered from the folder index
        Modules.override(new IMAPServerModule()).with(new ImapLiteralGuardModule(), new SpecialUseFolders.Module(),
            new ImapLoginThrottleModule(), new ImapComplianceModule(), new ListOfPatternsModule(), new SortThreadModule(),
            new BinaryModule(), new ContextSearchModule(), new IndexStatusProcessor.Module(), new IndexFlagsFetchProcessor.Module()),
        new POP3ServerModule(),
        // James's LMTP with the same line and recipient limits
        Modules.override(new LMTPServerModule()).with(new LmtpLimitsModule()),
        new LoginThrottleModule(),
        // James's ManageSieve on the scripts in Pigeonhole's layout, logins under the same throttle
        ManageSieveModule.withJames(),
        new PostmasterModule());

    static final Module WEBADMIN = Modules.combine(
        // every request authenticated with an admin token, whatever jwt.enabled says
        Modules.override(new WebAdminServerModule()).with(new WebAdminAuthenticationModule()),
        new NoJwtModule(),
        new DataRoutesModules(),
        new MailboxRoutesModule(),
        new MailQueueRoutesModule(),
        new MailRepositoriesRoutesModule(),
        new SieveRoutesModule(),
        new InconsistencyQuotasSolvingRoutesModule(),
        // the admin web console, and WebAdmin's routes for its admins (maildeck console-admin)
        new ConsoleModule());

    static final Module MAIL_PROCESSING = Modules.combine(
        new MailetProcessingModule(),
        new ContentFilterModule(),
        new QuarantineModule(),
        // Postfix's before-queue content filter, on the same route and policy
        new MilterModule(),
        new DefaultProcessorsConfigurationProviderModule(),
        new NaiveDelegationStoreModule(),
        new TaskManagerModule());

    static final Module STORAGE = Modules.combine(
        new DerbyDataModule(),
        new DurableQueueModule(),
        new MailboxModule(),
        new MaildirMailboxModule(),
        // the event bus of key listeners; events serialized only when a dead letter needs it
        Modules.override(new DefaultEventModule()).with(new KeyListenersEventBusModule(), new EventSerializerOnFirstUse.Module()),
        new DurableEventDeadLettersModule());

    private MaildeckServer() {
    }

    public static GuiceJamesServer compose(ServerLocations locations) {
        Configuration configuration = new Configuration.Basic(
            new Configuration.ConfigurationPath(FileSystem.FILE_PROTOCOL_AND_CONF), locations);
        // the database starts on its own thread while the injector is built
        DatabaseHeadStart database = DatabaseHeadStart.begin(configuration);
        return GuiceJamesServer.forConfiguration(configuration)
            .combineWith(database.module(), STORAGE, MAIL_PROCESSING, PROTOCOLS, WEBADMIN, new StartupModule())
            .combineWith(new LoopbackJmxModule(), new MonitoringModule(), new MaildirMonitoringModule(), new MailAuthMonitoringModule(), new LivenessModule())
            .overrideWith(new UnresolvedHostnameDnsService.Module(), new TimeBoundHealthChecksModule());
    }
}
