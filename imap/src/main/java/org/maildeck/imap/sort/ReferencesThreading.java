package org.maildeck.imap.sort;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * THREAD=REFERENCES, RFC 5256 §2.4 (Jamie Zawinski's algorithm with IMAP's subject merging):
 * <ol>
 * <li>every message and every message-id it refers to gets a container, the references of each
 * message link their containers parent to child (never making a loop, never moving a container
 * that already has a parent), and the message hangs under its last reference;</li>
 * <li>the containers without a parent are the roots;</li>
 * <li>containers of messages not in the answer ("dummies") go: without children they are dropped,
 * otherwise their children take their place (at the root only when there is one);</li>
 * <li>siblings are ordered by sent date, a dummy by that of its first child;</li>
 * <li>roots whose base subjects are equal are merged, the non-reply taking the replies;</li>
 * <li>and everything ordered again.</li>
 * </ol>
 * Trees may be as deep as the References: chains are long: nothing here recurses over depth.
 */
final class ReferencesThreading {

    private static final class Container {
        Numbered message;
        Container parent;
        final List<Container> children = new ArrayList<>();

        Container(Numbered message) {
            this.message = message;
        }

        boolean isDummy() {
            return message == null;
        }

        /** Whether {@code other} is this container or below it. */
        boolean reaches(Container other) {
            for (Container up = other; up != null; up = up.parent) {
                if (up == this) {
                    return true;
                }
            }
            return false;
        }

        void adopt(Container child) {
            if (child.parent != null) {
                child.parent.children.remove(child);
            }
            child.parent = this;
            children.add(child);
        }

        Numbered dated() {
            return isDummy() ? children.get(0).dated() : message;
        }
    }

    private static final Comparator<Container> BY_DATE = (one, other) -> Numbered.BY_SENT_DATE.compare(one.dated(), other.dated());

    private ReferencesThreading() {
    }

    static List<ThreadNode> threads(List<Numbered> messages) {
        List<Container> all = new ArrayList<>();
        linkReferences(messages, all);
        List<Container> roots = new ArrayList<>();
        for (Container container : all) {
            if (container.parent == null) {
                roots.add(container);
            }
        }
        roots = withoutDummies(roots);
        sortSiblings(roots);
        mergeBySubject(roots);
        sortSiblings(roots);
        return nodes(roots);
    }

    /** Step 1: containers for messages and referred ids, linked. */
    private static void linkReferences(List<Numbered> messages, List<Container> all) {
        Map<String, Container> byId = new HashMap<>();
        for (Numbered message : messages) {
            String id = message.fields().messageId();
            Container own = id.isEmpty() ? null : byId.get(id);
            if (own != null && own.isDummy()) {
                own.message = message;
            } else {
                // no id, or one another message already has: a container of its own (§2.4 1.B)
                own = new Container(message);
                all.add(own);
                if (!id.isEmpty() && !byId.containsKey(id)) {
                    byId.put(id, own);
                }
            }
            Container previous = null;
            for (String reference : message.fields().references()) {
                Container referred = byId.get(reference);
                if (referred == null) {
                    referred = new Container(null);
                    byId.put(reference, referred);
                    all.add(referred);
                }
                if (previous != null && referred.parent == null && !referred.reaches(previous)) {
                    previous.adopt(referred);
                }
                previous = referred;
            }
            if (own.parent != null) {
                own.parent.children.remove(own);
                own.parent = null;
            }
            if (previous != null && !own.reaches(previous)) {
                previous.adopt(own);
            }
        }
    }

    /** Step 3, children before their parents (all the containers below the roots, deepest last, walked backwards). */
    private static List<Container> withoutDummies(List<Container> roots) {
        List<Container> below = belowInBreadthOrder(roots);
        for (int i = below.size() - 1; i >= 0; i--) {
            Container container = below.get(i);
            List<Container> kept = new ArrayList<>();
            for (Container child : container.children) {
                if (!child.isDummy()) {
                    kept.add(child);
                } else {
                    for (Container grandchild : child.children) {
                        grandchild.parent = container;
                        kept.add(grandchild);
                    }
                }
            }
            container.children.clear();
            container.children.addAll(kept);
        }
        List<Container> kept = new ArrayList<>();
        for (Container root : roots) {
            if (!root.isDummy() || root.children.size() > 1) {
                kept.add(root);
            } else if (root.children.size() == 1) {
                Container only = root.children.get(0);
                only.parent = null;
                kept.add(only);
            }
        }
        return kept;
    }

    private static List<Container> belowInBreadthOrder(List<Container> roots) {
        List<Container> order = new ArrayList<>(roots);
        for (int i = 0; i < order.size(); i++) {
            order.addAll(order.get(i).children);
        }
        return order;
    }

    /** Steps 4 and 6: every set of siblings by sent date, children first so that a dummy's first child is known. */
    private static void sortSiblings(List<Container> roots) {
        List<Container> order = belowInBreadthOrder(roots);
        for (int i = order.size() - 1; i >= 0; i--) {
            order.get(i).children.sort(BY_DATE);
        }
        roots.sort(BY_DATE);
    }

    /** Step 5: roots with the same base subject gathered. */
    private static void mergeBySubject(List<Container> roots) {
        Map<String, Container> table = new HashMap<>();
        for (Container root : roots) {
            String subject = root.dated().fields().subject();
            if (subject.isEmpty()) {
                continue;
            }
            Container there = table.get(subject);
            if (there == null
                || root.isDummy() && !there.isDummy()
                || !there.isDummy() && there.message.fields().isReplyOrForward() && !root.isDummy() && !root.message.fields().isReplyOrForward()) {
                table.put(subject, root);
            }
        }
        List<Container> made = new ArrayList<>();
        for (Container root : roots) {
            if (root.parent != null || root.isDummy() && root.children.isEmpty()) {
                continue; // merged already
            }
            String subject = root.dated().fields().subject();
            Container there = subject.isEmpty() ? null : table.get(subject);
            if (there == null || there == root) {
                continue;
            }
            if (there.isDummy() && root.isDummy()) {
                for (Container child : new ArrayList<>(root.children)) {
                    there.adopt(child);
                }
            } else if (there.isDummy()) {
                there.adopt(root);
            } else if (root.isDummy()) {
                root.adopt(there);
                table.put(subject, root);
            } else if (!there.message.fields().isReplyOrForward() && root.message.fields().isReplyOrForward()) {
                there.adopt(root);
            } else {
                Container together = new Container(null);
                together.adopt(there);
                together.adopt(root);
                table.put(subject, together);
                made.add(together);
            }
        }
        roots.removeIf(root -> root.parent != null || root.isDummy() && root.children.isEmpty());
        roots.addAll(made);
    }

    private static List<ThreadNode> nodes(List<Container> roots) {
        List<Container> order = belowInBreadthOrder(roots);
        Map<Container, ThreadNode> built = new HashMap<>();
        for (int i = order.size() - 1; i >= 0; i--) {
            Container container = order.get(i);
            List<ThreadNode> children = new ArrayList<>(container.children.size());
            for (Container child : container.children) {
                children.add(built.get(child));
            }
            built.put(container, new ThreadNode(container.isDummy() ? 0 : container.message.number(), Collections.unmodifiableList(children)));
        }
        List<ThreadNode> threads = new ArrayList<>(roots.size());
        for (Container root : roots) {
            threads.add(built.get(root));
        }
        return threads;
    }
}
