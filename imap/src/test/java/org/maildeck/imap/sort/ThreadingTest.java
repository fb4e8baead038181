package org.maildeck.imap.sort;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** RFC 5256 §2.3 (ORDEREDSUBJECT) and §2.4 (REFERENCES), as the thread-list of §4 they answer. */
class ThreadingTest {

    private final List<Numbered> messages = new ArrayList<>();

    /** Message number {@code messages.size() + 1}, sent at {@code sent}. */
    private void message(long sent, String subject, String messageId, String... references) {
        BaseSubject base = BaseSubject.of(subject);
        messages.add(new Numbered(messages.size() + 1, new SortFields(messages.size() + 1, sent, 0, sent, "", "", "", "", "",
            base.comparable(), base.isReplyOrForward(), messageId, Arrays.asList(references))));
    }

    private String references() {
        return ThreadNode.threadList(ReferencesThreading.threads(messages));
    }

    private String orderedSubject() {
        return ThreadNode.threadList(OrderedSubjectThreading.threads(messages));
    }

    @Test
    void referencesLinksAReplyUnderItsParent() {
        message(1, "a", "a@x");
        message(2, "Re: a", "b@x", "a@x");
        message(3, "Re: a", "c@x", "a@x", "b@x");
        assertThat(references()).isEqualTo("(1 2 3)");
    }

    @Test
    void referencesHangsAReplyWhoseParentIsMissingUnderTheNearestPresentAncestor() {
        message(1, "a", "a@x");
        message(2, "Re: a", "c@x", "a@x", "missing@x");
        assertThat(references()).isEqualTo("(1 2)");
    }

    @Test
    void referencesKeepsTwoRepliesToAMissingRootTogetherUnderNoMessage() {
        message(1, "Re: gone", "b@x", "gone@x");
        message(2, "Re: gone", "c@x", "gone@x");
        assertThat(references()).isEqualTo("((1)(2))");
    }

    @Test
    void referencesPromotesTheOnlyChildOfAMissingRoot() {
        message(1, "Re: gone", "b@x", "gone@x");
        assertThat(references()).isEqualTo("(1)");
    }

    @Test
    void referencesOrdersSiblingsBySentDate() {
        message(1, "a", "a@x");
        message(5, "Re: a", "late@x", "a@x");
        message(3, "Re: a", "early@x", "a@x");
        assertThat(references()).isEqualTo("(1 (3)(2))");
    }

    @Test
    void referencesOrdersThreadsBySentDateOfTheirRoot() {
        message(9, "x", "x@x");
        message(1, "y", "y@x");
        assertThat(references()).isEqualTo("(2)(1)");
    }

    @Test
    void referencesUsesInReplyToWhenThereAreNoReferences() {
        messages.add(new Numbered(1, SortFields.of(1, 1, 10, List.of(
            new SortFields.Field("Message-ID", "<a@x>"), new SortFields.Field("Subject", "a")))));
        messages.add(new Numbered(2, SortFields.of(2, 2, 10, List.of(
            new SortFields.Field("Message-ID", "<b@x>"), new SortFields.Field("In-Reply-To", "<a@x> (from someone)"),
            new SortFields.Field("Subject", "other")))));
        assertThat(references()).isEqualTo("(1 2)");
    }

    @Test
    void referencesMergesAReplyWithoutReferencesUnderTheOriginalBySubject() {
        message(1, "hello", "a@x");
        message(2, "Re: hello", "b@x");
        assertThat(references()).isEqualTo("(1 2)");
    }

    @Test
    void referencesPutsTwoOriginalsWithTheSameSubjectUnderNoMessage() {
        message(1, "hello", "a@x");
        message(2, "hello", "b@x");
        assertThat(references()).isEqualTo("((1)(2))");
    }

    @Test
    void referencesDoesNotMergeEmptySubjects() {
        message(1, "", "a@x");
        message(2, "Re:", "b@x");
        assertThat(references()).isEqualTo("(1)(2)");
    }

    @Test
    void referencesKeepsTheFirstLinkWhenReferencesMakeALoop() {
        // 1 hangs under b; 2 is b and names 1 as parent, which would make a loop: not linked (§2.4 1.C)
        message(1, "a", "a@x", "b@x");
        message(2, "b", "b@x", "a@x");
        assertThat(references()).isEqualTo("(2 1)");
    }

    @Test
    void referencesGivesADuplicateMessageIdItsOwnPlace() {
        message(1, "a", "same@x");
        message(2, "b", "same@x");
        assertThat(references()).isEqualTo("(1)(2)");
    }

    @Test
    void referencesWritesAVeryLongChainWithoutRecursingOverIt() {
        message(1, "a", "m1@x");
        List<String> chain = new ArrayList<>(List.of("m1@x"));
        for (int i = 2; i <= 20000; i++) {
            message(i, "Re: a", "m" + i + "@x", chain.get(chain.size() - 1));
            chain.add("m" + i + "@x");
        }
        assertThat(references()).startsWith("(1 2 3 ").endsWith(" 19999 20000)");
    }

    @Test
    void orderedSubjectMakesTheFirstOfASubjectTheParentOfTheOthers() {
        message(1, "a", "1@x");
        message(3, "Re: a", "2@x");
        message(2, "b", "3@x");
        message(4, "Fwd: a", "4@x");
        assertThat(orderedSubject()).isEqualTo("(1 (2)(4))(3)");
    }

    @Test
    void orderedSubjectWritesASingleChildInTheSameList() {
        message(1, "a", "1@x");
        message(2, "Re: a", "2@x");
        assertThat(orderedSubject()).isEqualTo("(1 2)");
    }

    @Test
    void threadListOfNoMessagesIsEmpty() {
        assertThat(references()).isEmpty();
    }
}
