package io.comet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NamesTest {

    /**
     * cometql.md §10 quirk 22 / client-protocol.md §4.2: the docs' regex {@code [0-9A-z=+/_]{3,64}}
     * disagrees with the code's {@code [A-Za-z0-9_-]}. Decision: follow the code. So '-' is
     * allowed, and '=', '+', '/', '[', '^', '`' (which the docs' sloppy A-z range admits) are not.
     */
    @Test
    void nameCharsFollowTheCodeNotTheDocsRegex_quirk22() {
        assertThat(Names.isValid("web_chat-1", 1, 64)).isTrue();
        for (String docsOnly : new String[] {"web=x", "web+x", "web/x", "web[x", "web^x", "web`x", "web\\x"}) {
            assertThat(Names.isValid(docsOnly, 1, 64)).as(docsOnly).isFalse();
        }
        assertThat(Names.isValid("web.chat", 1, 64)).as("dot is the client's pipe.event separator").isFalse();
        assertThat(Names.isValid("чат", 1, 64)).isFalse();
    }

    @Test
    void oneMaximumOf64ForPipesAndEvents_clientProtocol_4_2() {
        assertThat(Names.isValid("a".repeat(64), 1, 64)).isTrue();
        assertThat(Names.isValid("a".repeat(65), 1, 64)).isFalse();
        assertThat(Names.checkEvent("", 64)).isEmpty();
        assertThatThrownBy(() -> Names.checkEvent("e".repeat(65), 64))
                .isInstanceOf(InvalidNameException.class).hasMessage("Channel event_name is too long")
                .extracting(e -> ((CometException) e).code()).isEqualTo(11);
    }

    @Test
    void cometQlPublishNamesUseTheSpecErrorCodes_cometql_5() {
        assertThatThrownBy(() -> Names.checkPipe("ab", 3, 64)).hasMessage("Channel name is too short")
                .extracting(e -> ((CometException) e).code()).isEqualTo(17);
        assertThatThrownBy(() -> Names.checkPipe("a".repeat(65), 3, 64)).hasMessage("Channel name is too long")
                .extracting(e -> ((CometException) e).code()).isEqualTo(11);
        assertThatThrownBy(() -> Names.checkPipe("bad name", 3, 64))
                .hasMessage("The channel name can contain only the characters A-Za-z0-9_-")
                .extracting(e -> ((CometException) e).code()).isEqualTo(12);
    }

    @Test
    void hashRulesCheckCharactersBeforeLength_cometql_3_5() {
        assertThat(Names.isValidHash("abc+/=_XYZ09")).isTrue();
        assertThat(Names.isValidHash("a-b")).as("'-' is not a hash char").isFalse();
        assertThatThrownBy(() -> Names.checkHash("x-".repeat(20)))
                .hasMessage("Contains an invalid characters in the string hash");
        assertThatThrownBy(() -> Names.checkHash("x".repeat(33))).hasMessage("Hash string is too long")
                .extracting(e -> ((CometException) e).code()).isEqualTo(11);
    }

    @Test
    void userIdsArePositiveWithAtMostNineDigits() {
        assertThat(Names.checkUserId(999_999_999L, false)).isEqualTo(999_999_999L);
        assertThatThrownBy(() -> Names.checkUserId(0, false)).hasMessage("The id field must be non-negative");
        assertThat(Names.checkUserId(0, true)).isZero();
        assertThatThrownBy(() -> Names.checkUserId(1_000_000_000L, false))
                .extracting(e -> ((CometException) e).code()).isEqualTo(12);
    }
}
