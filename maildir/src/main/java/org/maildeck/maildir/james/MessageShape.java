package org.maildeck.maildir.james;

import java.io.IOException;
import java.io.InputStream;

import org.apache.james.mailbox.store.mail.model.impl.PropertyBuilder;
import org.apache.james.mailbox.store.streaming.CountingInputStream;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.message.DefaultBodyDescriptorBuilder;
import org.apache.james.mime4j.message.MaximalBodyDescriptor;
import org.apache.james.mime4j.stream.EntityState;
import org.apache.james.mime4j.stream.MimeConfig;
import org.apache.james.mime4j.stream.MimeTokenStream;
import org.apache.james.mime4j.stream.RecursionMode;

/**
 * What James wants to know about a message's structure (top-level media type, MIME properties,
 * text line count) read from its content when first asked; the index does not keep it.
 */
final class MessageShape {

    private final PropertyBuilder properties;

    private MessageShape(PropertyBuilder properties) {
        this.properties = properties;
    }

    PropertyBuilder properties() {
        return properties;
    }

    String mediaType() {
        return properties.build().getMediaType();
    }

    String subType() {
        return properties.build().getSubType();
    }

    Long textualLineCount() {
        return properties.getTextualLineCount();
    }

    static MessageShape read(InputStream content) throws IOException {
        MimeTokenStream parser = new MimeTokenStream(MimeConfig.PERMISSIVE,
            new DefaultBodyDescriptorBuilder(null, null, DecodeMonitor.SILENT));
        parser.setRecursionMode(RecursionMode.M_NO_RECURSE);
        parser.parse(content);
        try {
            EntityState state = parser.next();
            while (state != EntityState.T_BODY && state != EntityState.T_END_OF_STREAM && state != EntityState.T_START_MULTIPART) {
                state = parser.next();
            }
            MaximalBodyDescriptor descriptor = (MaximalBodyDescriptor) parser.getBodyDescriptor();
            String mediaType = descriptor.getMediaType() == null ? "text" : descriptor.getMediaType();
            String subType = descriptor.getMediaType() == null ? "plain" : descriptor.getSubType();
            PropertyBuilder properties = new PropertyBuilder();
            properties.setMediaType(mediaType);
            properties.setSubType(subType);
            properties.setContentID(descriptor.getContentId());
            properties.setContentDescription(descriptor.getContentDescription());
            properties.setContentLocation(descriptor.getContentLocation());
            properties.setContentMD5(descriptor.getContentMD5Raw());
            properties.setContentTransferEncoding(descriptor.getTransferEncoding());
            properties.setContentLanguage(descriptor.getContentLanguage());
            properties.setContentDispositionType(descriptor.getContentDispositionType());
            properties.setContentDispositionParameters(descriptor.getContentDispositionParameters());
            properties.setContentTypeParameters(descriptor.getContentTypeParameters());
            if (descriptor.getCharset() != null) {
                properties.setCharset(descriptor.getCharset());
            } else if ("text".equalsIgnoreCase(mediaType)) {
                properties.setCharset("us-ascii");
            }
            if ("text".equalsIgnoreCase(mediaType) && state == EntityState.T_BODY) {
                properties.setTextualLineCount(countLines(parser));
            }
            return new MessageShape(properties);
        } catch (MimeException e) {
            throw new IOException("unparsable message: " + e.getMessage(), e);
        }
    }

    private static long countLines(MimeTokenStream parser) throws IOException, MimeException {
        long lines;
        try (CountingInputStream body = new CountingInputStream(parser.getInputStream())) {
            body.readAll();
            lines = body.getLineCount();
        }
        if (parser.next() == EntityState.T_EPILOGUE) {
            try (CountingInputStream epilogue = new CountingInputStream(parser.getInputStream())) {
                epilogue.readAll();
                lines += epilogue.getLineCount();
            }
        }
        return lines;
    }
}
