package org.dure.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.dure.store.WikiStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Renaming, moving, deleting and restoring pages, and a space's trash, through the local API. */
class PageLifecycleApiTest {
  @TempDir Path dir;
  private WikiStore store;
  private LocalApiServer server;
  private ApiClient client;

  @BeforeEach
  void start() throws IOException {
    store = WikiStore.open(dir);
    store.defaultSpace();
    String token = ApiToken.ensure(dir);
    server = LocalApiServer.start(new LocalDure(store, dir), token, 0);
    client = new ApiClient(server.url(), token, Duration.ofSeconds(10));
  }

  @AfterEach
  void stop() {
    server.close();
    store.close();
  }

  @Test
  void renameMoveDeleteAndRestoreThroughTheClient() {
    client.createSpace("Village");
    DureApi.SpaceInfo archive = client.createSpace("Archive");
    client.putPage("Village", "Harvest", "rice and beans");
    client.putPage("Village", "Index", "[[Harvest]]");

    assertEquals("Autumn harvest", client.renamePage("Village", "harvest", "Autumn harvest"));
    assertEquals("rice and beans", client.pageBody("Village", "Harvest").orElseThrow(), "redirect");
    ApiException taken =
        assertThrows(
            ApiException.class, () -> client.renamePage("Village", "Index", "Autumn harvest"));
    assertEquals(400, taken.status());

    client.deletePage("Village", "Autumn harvest");
    assertEquals(List.of("Index"), client.pageTitles("Village"));
    List<DureApi.TrashInfo> trash = client.trash("Village");
    assertEquals(1, trash.size());
    assertEquals("Autumn harvest", trash.get(0).title());
    assertEquals(store.identity().peerId().toString(), trash.get(0).deletedBy());
    assertEquals(
        404, assertThrows(ApiException.class, () -> client.deletePage("Village", "Nope")).status());

    client.restorePage("Village", "autumn harvest");
    assertTrue(client.trash("Village").isEmpty());
    assertTrue(client.pageTitles("Village").contains("Autumn harvest"));

    assertEquals(archive.id(), client.movePage("Village", "Autumn harvest", "Archive"));
    assertEquals(List.of("Autumn harvest"), client.pageTitles("Archive"));
    assertEquals("Autumn harvest", client.trash("Village").get(0).title());
  }
}
