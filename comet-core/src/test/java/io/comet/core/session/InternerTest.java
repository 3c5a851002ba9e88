package io.comet.core.session;

import io.comet.core.*;
import io.comet.core.engine.*;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InternerTest {

    @Test
    void equalValuesShareOneCopyWithinTheBounds() {
        Interner in = new Interner(2, 10);
        String a1 = new String("Mozilla");
        String a2 = new String("Mozilla");
        assertThat(in.intern(a1)).isSameAs(a1);
        assertThat(in.intern(a2)).isSameAs(a1);
        String tooLong = "x".repeat(11);
        assertThat(in.intern(tooLong)).isSameAs(tooLong);
        assertThat(in.intern(new String("b"))).isEqualTo("b");
        String c = new String("c");
        assertThat(in.intern(c)).as("full: not shared, not stored").isSameAs(c);
        assertThat(in.size()).isEqualTo(2);
        assertThat(in.intern(null)).isNull();
        assertThat(in.intern("")).isEmpty();
    }

    // what the sessions keep: the same header values are one object across connections
    @Test
    void sessionsShareTheirHeaderValues() {
        try (CometEngine engine = CometEngine.builder().maintenanceIntervalSeconds(0).build()) {
            ConnectRequest r1 = ConnectRequest.anonymous(0, "u1").withHeaders(new String("UA/1.0"), new String("10.0.0.1"),
                    new String("https://site.example"), new String("en"));
            ConnectRequest r2 = ConnectRequest.anonymous(0, "u2").withHeaders(new String("UA/1.0"), new String("10.0.0.1"),
                    new String("https://site.example"), new String("en"));
            engine.connectInProcess(r1);
            engine.connectInProcess(r2);
            Session s1 = engine.sessions().stream().filter(s -> s.uuid().equals("u1")).findFirst().orElseThrow();
            Session s2 = engine.sessions().stream().filter(s -> s.uuid().equals("u2")).findFirst().orElseThrow();
            assertThat(s2.request().userAgent()).isEqualTo("UA/1.0").isSameAs(s1.request().userAgent());
            assertThat(s2.request().ip()).isSameAs(s1.request().ip());
            assertThat(s2.request().origin()).isSameAs(s1.request().origin());
            assertThat(s2.request().language()).isSameAs(s1.request().language());
        }
    }
}
