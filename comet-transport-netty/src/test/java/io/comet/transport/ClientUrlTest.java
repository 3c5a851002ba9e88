package io.comet.transport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** §1.3 positional parsing of the path parameters, without URL-decoding. */
class ClientUrlTest {

    private static ClientUrl ok(String rest) {
        ClientUrl.Result r = ClientUrl.parse(rest, true);
        assertThat(r.error()).as(rest).isNull();
        return r.url();
    }

    @Test
    void theClientsUrl() {
        ClientUrl u = ok("sesion=a1b2c3&myid=5&devid=0&v=4.08&uuid=tMpNjHaKsxl_LmXmKY0fzqDjCuTPF17e&api=js");
        assertThat(u.credential()).isEqualTo("a1b2c3");
        assertThat(u.userId()).isEqualTo(5);
        assertThat(u.devId()).isZero();
        assertThat(u.apiMajor()).isEqualTo(4);
        assertThat(u.legacy()).isFalse();
        assertThat(u.uuid()).isEqualTo("tMpNjHaKsxl_LmXmKY0fzqDjCuTPF17e");
        assertThat(u.param("api")).isEqualTo("js");
    }

    @Test
    void noDecodingAndLenientNumbers() {
        ClientUrl u = ok("sesion=ab+c/d%2B==&myid=undefined&devid=-3&v=3.25&uuid=short&api=js");
        assertThat(u.credential()).as("raw bytes up to &").isEqualTo("ab+c/d%2B==");
        assertThat(u.userId()).isZero();
        assertThat(u.devId()).isZero();
        assertThat(u.legacy()).isTrue();
        assertThat(u.uuid()).as("stops at &").isEqualTo("short");
        assertThat(ok("sesion=&myid=007&devid=00012&v=4.08&uuid=" + "x".repeat(40) + "&api=js").uuid()).hasSize(32);
        assertThat(ok("sesion=&myid=007&devid=00012&v=4.08&uuid=u&api=js").userId()).isEqualTo(7);
        assertThat(ok("sesion=&myid=007&devid=00012&v=4.08&uuid=u&api=js").devId()).isEqualTo(12);
        assertThat(ok("sesion=undefined&myid=&devid=0&v=4.08&uuid=u&api=js").credential()).isEqualTo("undefined");
        assertThat(ok("sesion=&myid=1&devid=0&v=4.08&nouuid&api=js").uuid()).isEmpty();
        assertThat(ok("sesion=&myid=9999999999999999999999&devid=0&v=4.08&uuid=u").userId()).isZero();
    }

    @Test
    void errorsInTheOriginalOrder() {
        assertThat(ClientUrl.parse("abc", false).error().text()).isEqualTo(ClientUrl.E401_SESSION);
        assertThat(ClientUrl.parse("abc", true).error().text()).isEqualTo(ClientUrl.E401_USER);
        assertThat(ClientUrl.parse("sesion=x", true).error().code()).isEqualTo(401);
        assertThat(ClientUrl.parse("sesion=x&myid=1", true).error().code()).isEqualTo(406);
        assertThat(ClientUrl.parse("sesion=x&myid=1&devid=0", true).error().code()).isEqualTo(418);
        ClientUrl.Error atEnd = ClientUrl.parse("sesion=x&myid=1&devid=0&v=4.08", true).error();
        assertThat(atEnd.code()).as("v must be followed by &").isEqualTo(418);
        assertThat(atEnd.legacy()).as("major parsed as 4: object form").isFalse();
        assertThat(ClientUrl.parse("sesion=x&myid=1&devid=0&v=3.25", true).error().legacy()).isTrue();
        assertThat(ClientUrl.parse("sesion=x&myid=1&devid=0&v=4&uuid=u", true).error().code()).isEqualTo(418);
        assertThat(ClientUrl.parse("sesion=x&myid=1&devid=0&v=4.x&uuid=u", true).error().code()).isEqualTo(418);
    }
}
