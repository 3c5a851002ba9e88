package io.comet.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.cometql.CometQlConfig;
import io.comet.transport.WebConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** comet.service and Dockerfile (docker and systemd cannot run here): they agree with the code. */
class OpsFilesTest {

    private static final String JAR = "/opt/comet/comet-server.jar";

    @Test
    void systemdUnitRunsTheJarWithTheSystemConfigAndOutlastsTheShutdownDeadline() throws Exception {
        String unit = Files.readString(Path.of("comet.service"), StandardCharsets.UTF_8);
        assertThat(unit).contains("[Unit]", "[Service]", "[Install]");
        assertThat(unit).containsPattern("(?m)^ExecStart=/usr/bin/java -jar " + Pattern.quote(JAR) + " --conf "
                + Pattern.quote(Main.SYSTEM_CONF.toString()) + "$");
        assertThat(unit).containsPattern("(?m)^User=comet$").containsPattern("(?m)^Restart=on-failure$")
                .containsPattern("(?m)^LimitNOFILE=\\d+$").containsPattern("(?m)^SuccessExitStatus=143$")
                .containsPattern("(?m)^ExecReload=/bin/kill -HUP \\$MAINPID$"); // ReloadSignal: TLS certificates
        Matcher stop = Pattern.compile("(?m)^TimeoutStopSec=(\\d+)$").matcher(unit);
        assertThat(stop.find()).isTrue();
        assertThat(Long.parseLong(stop.group(1))).as("systemd must not SIGKILL before the shutdown deadline")
                .isGreaterThan(LauncherConfig.DEFAULT_SHUTDOWN_TIMEOUT.toSeconds());
        Matcher wd = Pattern.compile("(?m)^WorkingDirectory=(\\S+)$").matcher(unit);
        assertThat(wd.find()).isTrue();
        assertThat(unit).containsPattern("(?m)^StateDirectory=" + Pattern.quote(Path.of(wd.group(1)).getFileName().toString()) + "$");
    }

    @Test
    void dockerfileBuildsTheShadedJarAndRunsItOnTheDefaultPortsWithDataInTheVolume() throws Exception {
        String df = Files.readString(Path.of("Dockerfile"), StandardCharsets.UTF_8);
        assertThat(df).containsPattern("(?m)^FROM maven:\\S+ AS build$").containsPattern("(?m)^FROM eclipse-temurin:17-jre$");
        assertThat(df).containsPattern("(?m)^RUN mvn .*-pl comet-launcher -am package$");
        assertThat(df).contains("COPY --from=build /src/comet-launcher/target/comet-server.jar " + JAR);
        assertThat(df).containsPattern("(?m)^EXPOSE " + WebConfig.DEFAULT_PORT + " " + CometQlConfig.DEFAULT_PORT + "$");
        assertThat(df).containsPattern("(?m)^VOLUME /data$").containsPattern("(?m)^WORKDIR /data$");
        assertThat(df).containsPattern("(?m)^ENTRYPOINT \\[\"java\", \"-jar\", \"" + Pattern.quote(JAR) + "\"\\]$");
        assertThat(LauncherConfig.DEFAULT_DATA_DIR.isAbsolute()).as("./data relative to WORKDIR /data").isFalse();
        // CometQL's default is loopback: the image's own comet.ini (where Main looks) opens it to the container's network
        Matcher ini = Pattern.compile("(?m)^RUN mkdir -p (\\S+) && printf '([^']*)' > (\\S+)$").matcher(df);
        assertThat(ini.find()).as("the image writes a comet.ini").isTrue();
        assertThat(Path.of(ini.group(3))).isEqualTo(Main.SYSTEM_CONF);
        LauncherConfig image = LauncherConfig.fromIni(IniFile.parse("image", ini.group(2).replace("\\n", "\n")), java.util.Map.of());
        assertThat(LauncherConfig.defaults().cometqlIp()).isEqualTo("127.0.0.1");
        assertThat(image.cometqlIp()).isEqualTo("0.0.0.0");
        assertThat(image.warnings()).isEmpty();
        assertThat(Files.readString(Path.of("pom.xml"))).contains("<outputFile>${project.build.directory}/comet-server.jar</outputFile>");
    }
}
