package org.maildeck.imap.sort;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** RFC 5256 §2.1, one step of the base-subject extraction per test. */
class BaseSubjectTest {

    @Test
    void step1TurnsTabsAndLineBreaksIntoOneSpace() {
        assertThat(BaseSubject.of("hello\t \r\n  world").text()).isEqualTo("hello world");
    }

    @Test
    void step2RemovesTrailingFwdAndWhitespace() {
        BaseSubject base = BaseSubject.of("hello (fwd)  (FWD) ");
        assertThat(base.text()).isEqualTo("hello");
        assertThat(base.isReplyOrForward()).isTrue();
    }

    @Test
    void step3RemovesReAndFwdLeadersWhateverTheirCase() {
        BaseSubject base = BaseSubject.of("RE: Fwd:  fw: re : hello");
        assertThat(base.text()).isEqualTo("hello");
        assertThat(base.isReplyOrForward()).isTrue();
    }

    @Test
    void step3RemovesALeaderWithBlobsBeforeAndInsideIt() {
        assertThat(BaseSubject.of("[list] Re[2]: hello").text()).isEqualTo("hello");
    }

    @Test
    void step3LeavesAWordThatOnlyStartsLikeRe() {
        BaseSubject base = BaseSubject.of("Rebecca: hello");
        assertThat(base.text()).isEqualTo("Rebecca: hello");
        assertThat(base.isReplyOrForward()).isFalse();
    }

    @Test
    void step4RemovesALeadingBlobWithoutMakingTheMessageAReply() {
        BaseSubject base = BaseSubject.of("[announce] hello");
        assertThat(base.text()).isEqualTo("hello");
        assertThat(base.isReplyOrForward()).isFalse();
    }

    @Test
    void step4KeepsABlobThatIsTheWholeSubject() {
        assertThat(BaseSubject.of("[announce]").text()).isEqualTo("[announce]");
    }

    @Test
    void step5RepeatsLeadersAndBlobsUntilNoneIsLeft() {
        assertThat(BaseSubject.of("[a] Re: [b] Fwd: [c] hello").text()).isEqualTo("hello");
    }

    @Test
    void step6UnwrapsFwdBracketsAndStartsAgain() {
        BaseSubject base = BaseSubject.of("Re: [Fwd: Re: hello (fwd)]");
        assertThat(base.text()).isEqualTo("hello");
        assertThat(base.isReplyOrForward()).isTrue();
    }

    @Test
    void aSubjectWithoutMarkersIsNotAReply() {
        BaseSubject base = BaseSubject.of("hello");
        assertThat(base.text()).isEqualTo("hello");
        assertThat(base.isReplyOrForward()).isFalse();
    }

    @Test
    void baseSubjectsAreComparedWithUnicodeCasemap() {
        assertThat(BaseSubject.of("Re: ÉTÉ").comparable()).isEqualTo(BaseSubject.of("été").comparable());
    }
}
