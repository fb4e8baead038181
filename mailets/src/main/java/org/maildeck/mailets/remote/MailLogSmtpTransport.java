package org.maildeck.mailets.remote;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import javax.mail.Address;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.SendFailedException;
import javax.mail.Session;
import javax.mail.URLName;

import org.apache.mailet.HostAddress;

import com.sun.mail.smtp.SMTPAddressFailedException;
import com.sun.mail.smtp.SMTPSendFailedException;
import com.sun.mail.smtp.SMTPTransport;

/**
 * JavaMail's SMTP client, writing one mail-log line per recipient and attempt when RemoteDelivery
 * uses it ({@link OutgoingDelivery}), as Postfix's smtp client does:
 * <pre>
 * Mail1700000000000-1a2b-to-remote.example: to=&lt;bob@remote.example&gt;, relay=mx.remote.example[192.0.2.25]:25, delay=0.84, status=sent (250 2.0.0 Ok: queued as 4F2A1)
 * Mail1700000000000-1a2b-to-remote.example: to=&lt;eve@remote.example&gt;, relay=mx.remote.example[192.0.2.25]:25, delay=0.84, status=bounced (550 5.1.1 &lt;eve@remote.example&gt;: User unknown)
 * Mail1700000000000-1a2b-to-remote.example: to=&lt;bob@remote.example&gt;, relay=none, delay=61.02, status=deferred (connect to mx.remote.example[192.0.2.25]:25: Connection refused)
 * </pre>
 * Only the wire knows the relay and its replies, and RemoteDelivery leaves no hook between it and
 * JavaMail but the session properties it takes from its {@code mail.*} parameters: each
 * RemoteDelivery of mailetcontainer.xml names {@link org.maildeck.mailets.remote.smtp.SMTPTransport}
 * in {@code mail.smtp.class} ({@link org.maildeck.mailets.remote.smtps.SMTPTransport} in
 * {@code mail.smtps.class}). JavaMail accepts a class there only if a provider file lists it
 * (META-INF/javamail.providers); it cannot simply replace JavaMail's own default, which JavaMail
 * 1.6 finds through ServiceLoader before any provider file, in class-path order. Outside a
 * delivery it is plain {@link SMTPTransport}.
 */
public abstract class MailLogSmtpTransport extends SMTPTransport {

    private String relay = "none";
    /** The MX's name: RemoteDelivery hands over its address in a {@link HostAddress}, which JavaMail later copies into a plain URLName. */
    private final Optional<String> mxName;

    protected MailLogSmtpTransport(Session session, URLName url, String protocol, boolean ssl) {
        super(session, url, protocol, ssl);
        mxName = url instanceof HostAddress address ? Optional.ofNullable(address.getHostName()) : Optional.empty();
    }

    @Override
    protected synchronized boolean protocolConnect(String host, int port, String user, String password) throws MessagingException {
        String server = relayName(host, port);
        try {
            boolean connected = super.protocolConnect(host, port, user, password);
            relay = server;
            return connected;
        } catch (MessagingException e) {
            OutgoingDelivery.current().ifPresent(delivery -> delivery.connectFailed(server, innermostMessage(e)));
            throw e;
        }
    }

    @Override
    public synchronized void sendMessage(Message message, Address[] addresses) throws MessagingException {
        try {
            super.sendMessage(message, addresses);
            logEach(addresses, DeliveryStatus.SENT, getLastServerResponse());
        } catch (SendFailedException e) {
            logOutcomes(e, addresses);
            throw e;
        } catch (MessagingException e) {
            logEach(addresses, DeliveryStatus.ofFailure(getLastReturnCode()), innermostMessage(e));
            throw e;
        }
    }

    /**
     * Partial success (sendpartial) or refusal: each recipient gets the reply to its own RCPT when
     * it was refused there, else the reply that ended the transaction.
     */
    private void logOutcomes(SendFailedException failure, Address[] addresses) {
        Map<String, SMTPAddressFailedException> refusals = new HashMap<>();
        for (Exception next = failure.getNextException(); next != null;
                next = next instanceof MessagingException nested ? nested.getNextException() : null) {
            if (next instanceof SMTPAddressFailedException refusal) {
                refusals.put(refusal.getAddress().getAddress(), refusal);
            }
        }
        logEach(failure.getValidSentAddresses(), DeliveryStatus.SENT, getLastServerResponse());
        int transactionCode = failure instanceof SMTPSendFailedException sendFailure ? sendFailure.getReturnCode() : -1;
        for (Address[] unsent : new Address[][] {failure.getInvalidAddresses(), failure.getValidUnsentAddresses()}) {
            for (Address recipient : Optional.ofNullable(unsent).orElse(new Address[0])) {
                Optional<SMTPAddressFailedException> own = Optional.ofNullable(refusals.get(recipient.toString()));
                int code = own.map(SMTPAddressFailedException::getReturnCode).orElse(transactionCode);
                String reply = own.<Exception>map(refusal -> refusal).orElse(failure).getMessage();
                logEach(new Address[] {recipient}, DeliveryStatus.ofFailure(code), reply);
            }
        }
    }

    /** A failure that is no reply of the server (the connection broke) has Postfix's status 4.4.2. */
    private void logEach(Address[] addresses, DeliveryStatus status, String reason) {
        OutgoingDelivery.current().ifPresent(delivery -> {
            for (Address recipient : Optional.ofNullable(addresses).orElse(new Address[0])) {
                delivery.log(recipient.toString(), relay, status, oneLine(reason), status == DeliveryStatus.BOUNCED ? "5.4.2" : "4.4.2");
            }
        });
    }

    /** Postfix's {@code host[ip]:port}; the host is the MX name where RemoteDelivery connects by address. */
    private String relayName(String host, int port) {
        String name = mxName.orElse(host);
        String ip;
        try {
            ip = InetAddress.getByName(host).getHostAddress();
        } catch (UnknownHostException e) {
            ip = "unknown";
        }
        int actualPort = port > 0 ? port : isSSL() ? 465 : 25;
        return stripDot(name) + "[" + ip + "]:" + actualPort;
    }

    private static String stripDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    private static String innermostMessage(Exception e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
