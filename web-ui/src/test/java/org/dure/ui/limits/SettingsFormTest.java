package org.dure.ui.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import org.dure.moderation.LimitEvent;
import org.dure.moderation.RateLimits;
import org.dure.moderation.ResourceSettings;
import org.dure.moderation.Resources;
import org.dure.ui.ViewTestSupport;
import org.junit.jupiter.api.Test;

class SettingsFormTest extends ViewTestSupport {

  @Test
  void savingValidSettingsAppliesThemAtOnce() {
    Resources resources = new Resources(store, Clock.systemUTC());
    SettingsView view = new SettingsView(resources);
    SettingsForm form =
        (SettingsForm)
            view.getChildren().filter(c -> c instanceof SettingsForm).findFirst().orElseThrow();
    assertFalse(form.consent().getValue(), "helping outsiders is off by default");
    assertEquals(600, form.field("limit.changesPerMinute").getValue());

    form.consent().setValue(true);
    form.field("cap.uploadKiBps").setValue(512);
    form.field("limit.changesPerMinute").setValue(60);
    form.saveButton().click();

    ResourceSettings s = resources.settings();
    assertTrue(s.helpOthers());
    assertEquals(60, s.changesPerMinute());
    assertEquals(512 * 1024, resources.uploadLimiter().bytesPerSecond());
    assertEquals(s, new Resources(store, Clock.systemUTC()).settings(), "stored");
  }

  @Test
  void openingThePeerPortOnTheRouterIsOnByDefaultAndCanBeTurnedOff() {
    Resources resources = new Resources(store, Clock.systemUTC());
    SettingsForm form = new SettingsForm(resources.settings(), resources::update);
    assertTrue(form.portMapping().getValue());
    assertEquals(
        "Open the peer port on my router automatically (UPnP / NAT-PMP)",
        form.portMapping().getLabel());
    form.portMapping().setValue(false);
    form.saveButton().click();
    assertFalse(resources.settings().portMapping());
    assertFalse(new Resources(store, Clock.systemUTC()).settings().portMapping(), "stored");
  }

  @Test
  void anOutOfRangeValueIsMarkedAndNothingIsSaved() {
    Resources resources = new Resources(store, Clock.systemUTC());
    SettingsForm form = new SettingsForm(resources.settings(), resources::update);
    form.field("limit.changesPerMinute").setValue(0);
    form.field("cap.uploadKiBps").clear();
    form.saveButton().click();
    assertTrue(form.field("limit.changesPerMinute").isInvalid());
    assertTrue(form.field("cap.uploadKiBps").isInvalid());
    assertFalse(form.field("limit.pagesPerHour").isInvalid());
    assertEquals(ResourceSettings.defaults(), resources.settings());
  }

  @Test
  void theUsagePageShowsStorageAndExplainsLimitEvents() {
    Resources resources = new Resources(store, Clock.systemUTC());
    UsageView view = new UsageView(resources);
    view.refresh();
    String text =
        view.getChildren()
            .filter(c -> c.getId().orElse("").equals("usage-storage"))
            .findFirst()
            .orElseThrow()
            .getElement()
            .getText();
    assertFalse(text.isBlank());
    String event =
        view.describe(
            new LimitEvent(Instant.now(), "12D3KooWpeer", "limit.changesPerMinute", 600, false));
    assertTrue(event.contains("12D3KooWpeer") || event.contains("changesPerMinute"), event);
    String leftOut =
        view.describe(
            new LimitEvent(
                Instant.now(), "12D3KooWreader", RateLimits.CHANGES_NOT_ALLOWED, 0, true));
    assertTrue(leftOut.contains("12D3KooWreader"), leftOut);
    assertFalse(leftOut.contains(RateLimits.CHANGES_NOT_ALLOWED), leftOut);
  }
}
