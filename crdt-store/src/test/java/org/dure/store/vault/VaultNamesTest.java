package org.dure.store.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.PageSummary;
import org.dure.store.wiki.SpaceId;
import org.junit.jupiter.api.Test;

class VaultNamesTest {
  private static final SpaceId SPACE = SpaceId.random();

  @Test
  void charactersNoFileSystemOrObsidianLinkHoldsBecomeUnderscores() {
    assertEquals("Harvest _ 2026", VaultNames.baseName("Harvest / 2026"));
    assertEquals(
        "a_b_c_d_e_f_g_h_i_j_k_l_m_n", VaultNames.baseName("a\\b:c*d?e\"f<g>h|i#j^k[l]m\tn"));
    assertEquals("벼와 콩", VaultNames.baseName("벼와 콩"));
    assertEquals("Café", VaultNames.baseName("Cafe\u0301"), "NFC, as macOS would store it anyway");
  }

  @Test
  void hiddenTrailingAndWindowsReservedNamesAreMadeSafe() {
    assertEquals("_profile", VaultNames.baseName(".profile"));
    assertEquals("Notes_", VaultNames.baseName("Notes."));
    assertEquals("CON_", VaultNames.baseName("CON"));
    assertEquals("nul_.txt", VaultNames.baseName("nul.txt"));
    assertEquals("Com1_", VaultNames.baseName("Com1"));
    assertEquals("Console", VaultNames.baseName("Console"));
    assertEquals("Untitled", VaultNames.baseName("   "));
  }

  @Test
  void longNamesAreCutBetweenCharactersToFitEveryFileSystem() {
    String korean = "가".repeat(200); // 600 bytes of UTF-8
    String name = VaultNames.baseName(korean);
    assertTrue(name.getBytes(StandardCharsets.UTF_8).length <= VaultNames.MAX_NAME_BYTES);
    assertEquals("가".repeat(66), name);
    String emoji = "😀".repeat(60); // 4 bytes each, surrogate pairs in Java
    String cut = VaultNames.baseName(emoji);
    assertEquals("😀".repeat(50), cut);
    String withSuffix = cut + " (99999).html";
    assertTrue(withSuffix.getBytes(StandardCharsets.UTF_8).length <= 255);
  }

  private static PageSummary page(String title, long created) {
    return new PageSummary(
        PageId.random(),
        SPACE,
        title,
        Instant.ofEpochSecond(created),
        Instant.ofEpochSecond(created),
        Optional.empty());
  }

  @Test
  void clashesAreNumberedByTitleOrderWhateverTheListOrder() {
    PageSummary slash = page("A/B", 5);
    PageSummary underscore = page("A_B", 1);
    PageSummary lower = page("a:b", 2); // a_b: the same file as A_B on macOS and Windows
    PageSummary index = page("Index", 3);
    List<PageSummary> pages = new ArrayList<>(List.of(slash, underscore, lower, index));
    Map<PageId, String> names = VaultNames.assign(pages, Set.of("index"));
    for (int i = 0; i < 5; i++) {
      Collections.shuffle(pages);
      assertEquals(names, VaultNames.assign(pages, Set.of("index")));
    }
    assertEquals("A_B", names.get(slash.id()));
    assertEquals("A_B (2)", names.get(underscore.id()));
    assertEquals("a_b (3)", names.get(lower.id()));
    assertEquals("Index (2)", names.get(index.id()), "index.html is the site's index");
    Set<String> keys = new HashSet<>();
    names.values().forEach(n -> assertTrue(keys.add(VaultNames.clashKey(n)), n));
  }

  @Test
  void attachmentNamesKeepTheirExtensionAndAreUnique() {
    Set<String> taken = new HashSet<>();
    assertEquals("photo.png", VaultNames.attachmentName("photo.png", taken));
    assertEquals("Photo (2).png", VaultNames.attachmentName("Photo.png", taken));
    assertEquals("_x_.jpg", VaultNames.attachmentName("/x?.jpg", taken));
    assertFalse(VaultNames.attachmentName("../../etc/passwd", taken).contains("/"));
  }
}
