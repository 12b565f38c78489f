package org.callchain.node.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The launcher's JVM options and environment come from one file, read the launcher's way. */
class CallchainJvmTest {
  @Test
  void theLauncherFileSetsTheJvmOptionsAndTheMallocArenas() {
    Map<String, String> env = CallchainJvm.launcherEnvironment();

    assertThat(env).containsEntry("MALLOC_ARENA_MAX", "2");
    assertThat(env.get(CallchainJvm.JAVA_OPTS))
        .startsWith("-Xms")
        .contains("-Xmx160m", "-XX:+UseSerialGC", "-XX:MaxMetaspaceSize=")
        .doesNotContain("\"");
  }

  @Test
  void childJvmsGetTheLauncherFlagsAndEnvironmentUnlessAlreadySet() {
    ProcessBuilder pb = CallchainJvm.processBuilder(List.of("node", "--config", "n.yaml"));

    String inherited = System.getenv("MALLOC_ARENA_MAX");
    assertThat(pb.environment())
        .containsEntry("MALLOC_ARENA_MAX", inherited != null ? inherited : "2")
        .containsEntry(CallchainJvm.JAVA_OPTS, String.join(" ", CallchainJvm.jvmFlags()));
    assertThat(pb.command())
        .containsSubsequence(CallchainJvm.jvmFlags())
        .containsSubsequence(CallchainJvm.MAIN_CLASS, "node", "--config", "n.yaml");
  }
}
