package io.comet.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JVM flag tuning ({@code [main] jvm_memory_tuning}, on by default) is {@link Main}'s: a host
 * application that starts Comet in its own JVM ({@link CometServerLauncher#start}) keeps its
 * HotSpot flags. Checked in a fresh JVM (this one's flags may have been set by other tests).
 */
class EmbeddedLeavesTheJvmAloneTest {

    /** The embedding application: starts and stops Comet, then prints the flags' origins. */
    public static final class Host {
        public static void main(String[] args) throws Exception {
            LauncherConfig config = LauncherConfig.builder().password("pw").web(w -> w.ip("127.0.0.1").port(0))
                    .cometql(q -> q.ip("127.0.0.1").port(0)).dataDir(Path.of(args[0])).build();
            assertThat(config.jvmMemoryTuning()).isTrue();
            try (CometServerLauncher comet = CometServerLauncher.start(config)) {
                HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
                for (String flag : new String[] {"MinHeapFreeRatio", "MaxHeapFreeRatio", "G1PeriodicGCInterval"}) {
                    VMOption o = vm.getVMOption(flag);
                    System.out.println("FLAG " + flag + " " + o.getOrigin());
                }
                System.out.println("RUNNING " + comet.webPort());
            }
        }
    }

    @Test
    void startingTheServerInAnApplicationSetsNoFlag(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("host.out");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Host.class.getName(), tmp.resolve("data").toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the host application finished").isTrue();
        String log = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(log).isZero();
        assertThat(log).contains("RUNNING ")
                .contains("FLAG MinHeapFreeRatio DEFAULT")
                .contains("FLAG MaxHeapFreeRatio DEFAULT")
                .contains("FLAG G1PeriodicGCInterval DEFAULT")
                .doesNotContain("JVM memory tuning")
                .doesNotContain("native heap");
    }
}
