package org.dure;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.vaadin.flow.router.Layout;
import com.vaadin.flow.router.Route;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Guards the module graph of docs/ARCHITECTURE.md: identity ← crdt-store ← network ← moderation ←
 * node ← web-ui, one way; and the web UI's views reach data only through the store's API.
 */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.dure");
  }

  @Test
  void identityDependsOnNoOtherProjectModule() {
    noClasses()
        .that()
        .resideInAPackage("org.dure.identity..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.dure.store..",
            "org.dure.net..",
            "org.dure.moderation..",
            "org.dure.node..",
            "org.dure.api..",
            "org.dure.ui..",
            "org.dure.app..")
        .check(classes);
  }

  @Test
  void modulesAreLayeredOneWay() {
    // identity at the bottom; each module reaches only the ones below it.
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("identity")
        .definedBy("org.dure.identity..")
        .layer("crdt-store")
        .definedBy("org.dure.store..")
        .layer("network")
        .definedBy("org.dure.net..")
        .layer("moderation")
        .definedBy("org.dure.moderation..")
        .layer("node")
        .definedBy("org.dure.node..")
        .layer("web-ui")
        .definedBy("org.dure.ui..", "org.dure.api..", "org.dure.app..")
        .whereLayer("identity")
        .mayNotAccessAnyLayer()
        .whereLayer("crdt-store")
        .mayOnlyAccessLayers("identity")
        .whereLayer("network")
        .mayOnlyAccessLayers("identity", "crdt-store")
        .whereLayer("moderation")
        .mayOnlyAccessLayers("identity", "crdt-store", "network")
        .whereLayer("node")
        .mayOnlyAccessLayers("identity", "crdt-store", "network", "moderation")
        .check(classes);
  }

  @Test
  void storeDependsOnNoOtherProjectModule() {
    noClasses()
        .that()
        .resideInAPackage("org.dure.store..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.dure.net..",
            "org.dure.moderation..",
            "org.dure.node..",
            "org.dure.ui..",
            "org.dure.app..")
        .check(classes);
  }

  @Test
  void networkDependsOnlyOnTheStore() {
    noClasses()
        .that()
        .resideInAPackage("org.dure.net..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.dure.moderation..", "org.dure.node..", "org.dure.ui..", "org.dure.app..")
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void moderationDoesNotDependOnTheWebUi() {
    noClasses()
        .that()
        .resideInAPackage("org.dure.moderation..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.dure.node..", "org.dure.ui..", "org.dure.app..")
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void viewsNeverTouchAutomergeOrJdbc() {
    noClasses()
        .that()
        .resideInAnyPackage("org.dure.ui..", "org.dure.api..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.automerge..", "java.sql..", "org.sqlite..")
        .check(classes);
  }

  @Test
  void theNodeKnowsNeitherTheUiNorTheApplication() {
    noClasses()
        .that()
        .resideInAPackage("org.dure.node..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.dure.ui..", "org.dure.app..", "org.dure.api..")
        .check(classes);
  }

  @Test
  void uiFeaturePackagesHaveNoCycles() {
    // One slice per package under org.dure.ui (wiki, social, feed, peers, base, i18n, ...).
    slices().matching("org.dure.ui.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void onlyTheShellKnowsTheFeatures() {
    // org.dure.ui itself is the shell (layout, home, search): features never reach back into it.
    noClasses()
        .that()
        .resideInAPackage("org.dure.ui.*..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.dure.ui")
        .check(classes);
  }

  @Test
  void theLayoutNamesNoView() {
    // The navigation comes from the routes' @Menu annotations (MenuConfiguration).
    noClasses()
        .that()
        .areAnnotatedWith(Layout.class)
        .should()
        .dependOnClassesThat()
        .areAnnotatedWith(Route.class)
        .check(classes);
  }

  @Test
  void sharedUiPiecesUseNoFeature() {
    noClasses()
        .that()
        .resideInAnyPackage("org.dure.ui.base..", "org.dure.ui.i18n..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.dure.ui",
            "org.dure.ui.wiki..",
            "org.dure.ui.social..",
            "org.dure.ui.feed..",
            "org.dure.ui.peers..",
            "org.dure.ui.moderation..",
            "org.dure.ui.limits..",
            "org.dure.ui.render..")
        .check(classes);
  }

  @Test
  void projectModulesHaveNoCycles() {
    slices().matching("org.dure.(*)..").should().beFreeOfCycles().check(classes);
  }
}
