package org.dure.net;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Package rules of the network module (STYLE.md §1: one package per layer, no cycles). */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.dure.net");
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("org.dure.net.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void wireLayersDoNotDependOnTheHost() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "org.dure.net.base..",
            "org.dure.net.multiaddr..",
            "org.dure.net.multistream..",
            "org.dure.net.noise..",
            "org.dure.net.yamux..",
            "org.dure.net.transport..",
            "org.dure.net.protocol..",
            "org.dure.net.identify..",
            "org.dure.net.ping..",
            "org.dure.net.nat..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.dure.net.host..", "org.dure.net.tools..")
        .check(classes);
  }

  @Test
  void codecsDoNotDependOnSessionsOrTransport() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "org.dure.net.noise..", "org.dure.net.yamux..", "org.dure.net.multistream..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.dure.net.transport..")
        .check(classes);
  }

  /**
   * The protocols the host registers itself (identify, ping) know no host (else host and protocol
   * would form a cycle) and no other protocol: one package per protocol, on the layers below it.
   */
  @Test
  void builtInProtocolPackagesAreIndependent() {
    String[] protocols = {
      "org.dure.net.identify..",
      "org.dure.net.ping..",
      "org.dure.net.sync..",
      "org.dure.net.relay..",
      "org.dure.net.dcutr..",
      "org.dure.net.kad..",
      "org.dure.net.autonat..",
      "org.dure.net.mdns..",
      "org.dure.net.invite..",
      "org.dure.net.host..",
      "org.dure.net.tools.."
    };
    for (String builtIn : List.of("org.dure.net.identify..", "org.dure.net.ping..")) {
      noClasses()
          .that()
          .resideInAPackage(builtIn)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              Arrays.stream(protocols).filter(p -> !p.equals(builtIn)).toArray(String[]::new))
          .check(classes);
    }
  }

  @Test
  void codecsDoNotDependOnTheirHandlers() {
    noClasses()
        .that()
        .haveFullyQualifiedName("org.dure.net.identify.IdentifyMessage")
        .or()
        .haveFullyQualifiedName("org.dure.net.ping.PingCodec")
        .or()
        .haveFullyQualifiedName("org.dure.net.multistream.MultistreamCodec")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("org.dure.net.identify.IdentifyService")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("org.dure.net.ping.PingHandler")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("org.dure.net.multistream.MultistreamSelect")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("org.dure.net.multistream.MultistreamMachine")
        .check(classes);
  }
}
