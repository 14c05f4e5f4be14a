package org.dure.app;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import org.dure.store.StoreOptions;
import org.dure.store.sync.NativeSandbox;

/**
 * Points the store's sandbox (where snapshots from peers are loaded first, in a child process, and
 * where what crashed the last process is replayed at start) at this application: run from {@code
 * dure.jar} (a Spring Boot jar, whose classes are nested), the child runs the sandbox's main class
 * through Spring Boot's {@code PropertiesLauncher}; run from a plain class path (tests, IDE) the
 * store's default already works.
 */
final class Sandboxes {
  static final String BOOT_LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";

  private Sandboxes() {}

  /** Store options with this application's sandbox command (set before the store opens). */
  static StoreOptions storeOptions() {
    StoreOptions options = StoreOptions.defaults();
    return bootJarCommand().map(options::withSandboxCommand).orElse(options);
  }

  /** The sandbox command when this JVM runs from a Spring Boot jar. */
  static Optional<List<String>> bootJarCommand() {
    String cp = System.getProperty("java.class.path", "");
    if (cp.isEmpty() || cp.contains(File.pathSeparator) || !cp.endsWith(".jar")) {
      return Optional.empty();
    }
    try (JarFile jar = new JarFile(cp)) {
      if (jar.getEntry(BOOT_LAUNCHER.replace('.', '/') + ".class") == null) {
        return Optional.empty();
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(NativeSandbox.jvmOptions());
    cmd.add("-Dloader.main=org.dure.store.sync.SandboxMain");
    cmd.add("-cp");
    cmd.add(Path.of(cp).toAbsolutePath().toString());
    cmd.add(BOOT_LAUNCHER);
    return Optional.of(cmd);
  }
}
