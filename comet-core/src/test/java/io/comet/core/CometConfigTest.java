package io.comet.core;

import io.comet.core.engine.CometEngine;
import io.comet.core.engine.InProcessClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CometConfigTest {

    @Test
    void defaultsMatchTheOriginalLimits_clientProtocol_4_11() {
        CometConfig c = CometConfig.DEFAULT;
        assertThat(c.maxSubscriptionsPerSession()).isEqualTo(32);
        assertThat(c.maxSessionsPerUser()).isEqualTo(16);
        assertThat(c.maxPipeNameLength()).isEqualTo(64);
        assertThat(c.maxEventNameLength()).isEqualTo(64);
        assertThat(c.historyReplayLimit()).isEqualTo(99);
        assertThat(c.maxQueuedMessagesPerUser()).isEqualTo(100);
        assertThat(c.queueTtlSeconds()).isEqualTo(120);
        assertThat(c.devIndexSize()).isEqualTo(100_000);
        assertThat(c.maxMessageBytes()).isEqualTo(9000);
        assertThat(c.toString()).doesNotContain("null").contains("password=none");
    }

    @Test
    void badValuesFailFastNamingTheSetting() {
        assertThatThrownBy(() -> CometConfig.builder().maxSubscriptionsPerSession(0).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxSubscriptionsPerSession: 0 (expected: 1..100000)");
        assertThatThrownBy(() -> CometConfig.builder().devIndexSize(-1).build())
                .hasMessage("devIndexSize: -1 (expected: > 0)");
        assertThatThrownBy(() -> CometConfig.builder().serverName("").build()).hasMessageStartingWith("serverName");
    }

    @Test
    void toBuilderCopiesEverything() {
        CometConfig c = CometConfig.builder().password("p").maxMessageBytes(123).pipeCountAsObject(true).build();
        assertThat(c.toBuilder().build().toString()).isEqualTo(c.toString());
        assertThat(c.toString()).contains("password=****").doesNotContain("=p,");
    }

    @Test
    void limitsComeFromConfig() {
        CometEngine e = CometEngine.builder().config(CometConfig.builder().maxSubscriptionsPerSession(2)
                .maxMessageBytes(5).maxPipeNameLength(10).build()).maintenanceIntervalSeconds(0).build();
        InProcessClient c = e.connectInProcess(ConnectRequest.anonymous(0, "u"));
        assertThat(c.subscribe(java.util.List.of("a1", "a2", "a3")).truncated()).isTrue();
        assertThatThrownBy(() -> e.publish(0, "pipe", "e", "123456")).isInstanceOf(LimitExceededException.class)
                .extracting(x -> ((CometException) x).code()).isEqualTo(11);
        assertThatThrownBy(() -> e.publish(0, "p".repeat(11), "e", "1")).isInstanceOf(InvalidNameException.class);
        e.close();
    }
}
