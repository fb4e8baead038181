package org.maildeck.imap.sort;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * THREAD=ORDEREDSUBJECT, RFC 5256 §2.3 ("poor man's threading"): the messages sorted by base
 * subject and then sent date; each run of one base subject is a thread whose first message is
 * the parent of all the others, in date order; the threads ordered by the sent date of their
 * first message. Ties go by mailbox order.
 */
final class OrderedSubjectThreading {

    private static final Comparator<Numbered> BY_SUBJECT_THEN_DATE = Comparator.comparing((Numbered message) -> message.fields().subject())
        .thenComparing(Numbered.BY_SENT_DATE);

    private OrderedSubjectThreading() {
    }

    static List<ThreadNode> threads(List<Numbered> messages) {
        List<Numbered> sorted = new ArrayList<>(messages);
        sorted.sort(BY_SUBJECT_THEN_DATE);
        List<Numbered> firsts = new ArrayList<>();
        List<List<ThreadNode>> childrenOfFirsts = new ArrayList<>();
        for (Numbered message : sorted) {
            Numbered first = firsts.isEmpty() ? null : firsts.get(firsts.size() - 1);
            if (first != null && first.fields().subject().equals(message.fields().subject())) {
                childrenOfFirsts.get(childrenOfFirsts.size() - 1).add(new ThreadNode(message.number(), List.of()));
            } else {
                firsts.add(message);
                childrenOfFirsts.add(new ArrayList<>());
            }
        }
        List<Integer> threadOrder = new ArrayList<>();
        for (int i = 0; i < firsts.size(); i++) {
            threadOrder.add(i);
        }
        threadOrder.sort(Comparator.comparing(firsts::get, Numbered.BY_SENT_DATE));
        List<ThreadNode> threads = new ArrayList<>(firsts.size());
        for (int i : threadOrder) {
            threads.add(new ThreadNode(firsts.get(i).number(), List.copyOf(childrenOfFirsts.get(i))));
        }
        return threads;
    }
}
