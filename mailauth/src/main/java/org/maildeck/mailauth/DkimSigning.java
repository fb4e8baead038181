package org.maildeck.mailauth;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.jdkim.DKIMSigner;
import org.apache.james.jdkim.api.BodyHasher;
import org.apache.james.jdkim.exceptions.PermFailException;
import org.apache.james.jdkim.mailets.CRLFOutputStream;
import org.apache.james.jdkim.mailets.HeaderSkippingOutputStream;

/**
 * A DKIM-Signature for a message as it is now (RFC 6376 5): rsa-sha256, relaxed/relaxed, the
 * given header fields, with a time stamp. jDKIM's {@link DKIMSigner} signs; the body is streamed
 * as James's DKIMSign streams it ({@link HeaderSkippingOutputStream}, {@link CRLFOutputStream}:
 * the bytes JavaMail will write, with CRLF line ends as on the wire).
 */
final class DkimSigning {

    static final String DEFAULT_HEADERS = "from:to:cc:subject:date:message-id:reply-to:mime-version:content-type:in-reply-to:references";

    private final String headers;

    /** {@code headerNames}: separated by colons, commas or spaces; must name From (RFC 6376 5.4). */
    DkimSigning(String headerNames) {
        List<String> names = Arrays.stream(headerNames.split("[:,\\s]+"))
            .filter(name -> !name.isEmpty())
            .map(name -> name.toLowerCase(Locale.ROOT))
            .collect(Collectors.toList());
        if (!names.contains("from")) {
            throw new IllegalArgumentException("the signed headers must include From (RFC 6376 5.4): " + headerNames);
        }
        this.headers = String.join(":", names);
    }

    /** The DKIM-Signature field, name and value, to put on top of the message. */
    String signatureField(MimeMessage message, DkimKeyFile key) throws MessagingException {
        String template = "v=1; a=rsa-sha256; c=relaxed/relaxed; d=" + key.domain() + "; s=" + key.selector()
            + "; t=" + (System.currentTimeMillis() / 1000) + "; h=" + headers + "; bh=; b=;";
        DKIMSigner signer = new DKIMSigner(template, key.privateKey());
        try {
            BodyHasher bodyHasher = signer.newBodyHasher(signer.newSignatureRecordTemplate(template));
            try (OutputStream body = new CRLFOutputStream(new HeaderSkippingOutputStream(bodyHasher.getOutputStream()))) {
                message.writeTo(body);
            } catch (IOException e) {
                throw new MessagingException("DKIM body hash: " + e.getMessage(), e);
            }
            return signer.sign(new MessageHeaderFields(message), bodyHasher);
        } catch (PermFailException e) {
            throw new MessagingException("DKIM signing failed: " + e.getMessage(), e);
        }
    }
}
