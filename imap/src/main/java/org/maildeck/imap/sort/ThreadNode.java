package org.maildeck.imap.sort;

import java.util.List;

/**
 * One node of a THREAD answer: a message (its number, sequence number or UID) or, where
 * {@code number} is 0, a message that is referred to but not in the answer, holding its
 * children together (RFC 5256 §4: such a node is written as its children alone).
 */
record ThreadNode(long number, List<ThreadNode> children) {

    boolean isMessage() {
        return number > 0;
    }

    /** The threads as RFC 5256 §4's thread-list: {@code (1 2)(3 (4)(5))}. */
    static String threadList(List<ThreadNode> roots) {
        StringBuilder written = new StringBuilder();
        for (ThreadNode root : roots) {
            written.append('(');
            members(root, written);
            written.append(')');
        }
        return written.toString();
    }

    /** A node and what hangs under it; a chain of only children is written in a loop, however long. */
    private static void members(ThreadNode node, StringBuilder written) {
        ThreadNode current = node;
        boolean first = true;
        while (true) {
            if (current.isMessage()) {
                if (!first) {
                    written.append(' ');
                }
                written.append(current.number());
                first = false;
            }
            if (current.children().size() != 1) {
                break;
            }
            current = current.children().get(0);
        }
        if (current.children().isEmpty()) {
            return;
        }
        if (!first) {
            written.append(' ');
        }
        for (ThreadNode child : current.children()) {
            written.append('(');
            members(child, written);
            written.append(')');
        }
    }
}
