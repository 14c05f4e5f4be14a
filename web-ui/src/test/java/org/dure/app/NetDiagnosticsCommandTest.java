package org.dure.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.dure.store.doc.IdentityKeyFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetDiagnosticsCommandTest {
  @TempDir Path dir;

  @Test
  void netIdPrintsThePeerIdOfTheDataDirectorysIdentity() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code =
        DureMain.run(
            List.of("--data", dir.toString(), "net", "id"),
            CommandRegistry.standard(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            System.err);
    assertEquals(0, code);
    assertEquals(
        IdentityKeyFile.loadOrCreate(dir).peerId().toString(),
        out.toString(StandardCharsets.UTF_8).strip());
  }
}
