package org.dure.net;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
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
            "org.dure.net.crypto..",
            "org.dure.net.peer..",
            "org.dure.net.multiaddr..",
            "org.dure.net.multistream..",
            "org.dure.net.noise..",
            "org.dure.net.yamux..",
            "org.dure.net.transport..",
            "org.dure.net.protocol..",
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
}
