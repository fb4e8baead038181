package org.maildeck.imap.sort;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import org.maildeck.durability.Durability;

/**
 * {@code maildeck.sortfields}, beside the folder's {@code maildeck.index}: the {@link SortFields}
 * of the messages SORT or THREAD has looked at, by UID, under the folder's UIDVALIDITY. A
 * message's fields never change under one UID, so an entry stays right until the message is
 * expunged. It is a cache: written whole, atomically; a missing, damaged or other-UIDVALIDITY
 * file reads as empty and is filled again.
 */
final class SortFieldsFile {

    static final String FILE_NAME = "maildeck.sortfields";
    private static final int MAGIC = 0x4d445346; // "MDSF"
    private static final int VERSION = 1;

    record Content(long uidValidity, Collection<SortFields> fields) {
    }

    private SortFieldsFile() {
    }

    static Optional<Content> read(Path folderDirectory) {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(folderDirectory.resolve(FILE_NAME)), 1 << 16))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                return Optional.empty();
            }
            long uidValidity = in.readLong();
            int count = in.readInt();
            List<SortFields> fields = new ArrayList<>(Math.min(count, 1 << 16));
            for (int i = 0; i < count; i++) {
                long uid = in.readLong();
                long arrival = in.readLong();
                long size = in.readLong();
                long sent = in.readLong();
                String from = in.readUTF();
                String to = in.readUTF();
                String cc = in.readUTF();
                String displayFrom = in.readUTF();
                String displayTo = in.readUTF();
                String subject = in.readUTF();
                boolean reply = in.readBoolean();
                String messageId = in.readUTF();
                int referenceCount = in.readUnsignedByte();
                List<String> references = new ArrayList<>(referenceCount);
                for (int r = 0; r < referenceCount; r++) {
                    references.add(in.readUTF());
                }
                fields.add(new SortFields(uid, arrival, size, sent, from, to, cc, displayFrom, displayTo, subject, reply,
                    messageId, List.copyOf(references)));
            }
            return Optional.of(new Content(uidValidity, fields));
        } catch (IOException | RuntimeException missingOrDamaged) {
            return Optional.empty();
        }
    }

    static void write(Path folderDirectory, Content content, Durability durability) throws IOException {
        // a temporary of this writer's own: two sessions may fill the same folder's cache at once, the last rename wins
        Path temporary = folderDirectory.resolve(FILE_NAME + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        durability.writeAtomically(temporary, folderDirectory.resolve(FILE_NAME), raw -> {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16));
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(content.uidValidity());
            out.writeInt(content.fields().size());
            for (SortFields fields : content.fields()) {
                out.writeLong(fields.uid());
                out.writeLong(fields.arrival());
                out.writeLong(fields.size());
                out.writeLong(fields.sent());
                out.writeUTF(fields.from());
                out.writeUTF(fields.to());
                out.writeUTF(fields.cc());
                out.writeUTF(fields.displayFrom());
                out.writeUTF(fields.displayTo());
                out.writeUTF(fields.subject());
                out.writeBoolean(fields.isReplyOrForward());
                out.writeUTF(fields.messageId());
                out.writeByte(fields.references().size());
                for (String reference : fields.references()) {
                    out.writeUTF(reference);
                }
            }
            out.flush();
        });
    }
}
