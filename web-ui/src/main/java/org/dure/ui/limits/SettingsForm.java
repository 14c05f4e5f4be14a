package org.dure.ui.limits;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.textfield.IntegerField;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.dure.moderation.ResourceSettings;

/**
 * The limits, caps and consent as a form: one field per setting with its help text and range; Save
 * validates all of them (an invalid field says what is allowed) and hands valid settings to the
 * view.
 */
public class SettingsForm extends FormLayout {
  private static final long serialVersionUID = 1L;

  private record Spec(String key, int min, int max) {}

  private static final Spec[] NUMBERS = {
    new Spec("cap.uploadKiBps", 0, 10_000_000),
    new Spec("cap.relayKiBps", 0, 10_000_000),
    new Spec("cap.storageForOthersMiB", 0, 100_000_000),
    new Spec("limit.changesPerMinute", 1, 1_000_000),
    new Spec("limit.maxChangeBytes", 1024, 16 << 20),
    new Spec("limit.maxPageBytes", 1024, 64 << 20),
    new Spec("limit.pagesPerHour", 1, 1_000_000),
    new Spec("limit.maxMessageBytes", 1024, 16 << 20),
    new Spec("limit.maxStreamsPerPeer", 4, 1024),
    new Spec("limit.opsPerMinute", 1000, 100_000_000),
    new Spec("limit.maxOpsPerChange", 1000, 20_000_000),
  };

  private final Checkbox helpOthers = new Checkbox();
  private final Checkbox portMapping = new Checkbox();
  private final Map<String, IntegerField> fields = new LinkedHashMap<>();
  private final Button save = new Button();

  public SettingsForm(ResourceSettings initial, Consumer<ResourceSettings> onSave) {
    setId("settings-form");
    helpOthers.setId("settings-consent.helpOthers");
    helpOthers.setLabel(getTranslation("moderation.settings.consent.helpOthers"));
    helpOthers.setHelperText(getTranslation("moderation.settings.consent.helpOthers.help"));
    add(helpOthers);
    setColspan(helpOthers, 2);
    portMapping.setId("settings-network.portMapping");
    portMapping.setLabel(getTranslation("moderation.settings.network.portMapping"));
    portMapping.setHelperText(getTranslation("moderation.settings.network.portMapping.help"));
    add(portMapping);
    setColspan(portMapping, 2);
    for (Spec s : NUMBERS) {
      IntegerField f = new IntegerField(getTranslation("moderation.settings." + s.key()));
      f.setId("settings-" + s.key());
      f.setMin(s.min());
      f.setMax(s.max());
      f.setStepButtonsVisible(false);
      f.setHelperText(getTranslation("moderation.settings." + s.key() + ".help"));
      f.setErrorMessage(getTranslation("moderation.settings.range", s.min(), s.max()));
      f.setRequired(true);
      fields.put(s.key(), f);
      add(f);
    }
    save.setText(getTranslation("moderation.settings.save"));
    save.setId("settings-save");
    save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    save.addClickListener(
        e -> {
          ResourceSettings v = read();
          if (v != null) {
            onSave.accept(v);
          }
        });
    add(save);
    show(initial);
  }

  /** Shows {@code s} in the fields. */
  public final void show(ResourceSettings s) {
    Map<String, String> m = s.toMap();
    helpOthers.setValue(Boolean.parseBoolean(m.get("consent.helpOthers")));
    portMapping.setValue(Boolean.parseBoolean(m.get("network.portMapping")));
    fields.forEach(
        (k, f) -> {
          f.setValue(Integer.valueOf(m.get(k)));
          f.setInvalid(false);
        });
  }

  /** The settings in the fields, or null (with the wrong fields marked) if some are invalid. */
  ResourceSettings read() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("consent.helpOthers", Boolean.toString(helpOthers.getValue()));
    m.put("network.portMapping", Boolean.toString(portMapping.getValue()));
    boolean ok = true;
    for (Spec s : NUMBERS) {
      IntegerField f = fields.get(s.key());
      Integer v = f.getValue();
      boolean valid = v != null && v >= s.min() && v <= s.max();
      f.setInvalid(!valid);
      ok &= valid;
      if (valid) {
        m.put(s.key(), v.toString());
      }
    }
    if (!ok) {
      return null;
    }
    try {
      return ResourceSettings.fromMap(m);
    } catch (ResourceSettings.InvalidSettingException e) {
      IntegerField f = fields.get(e.key());
      if (f != null) {
        f.setInvalid(true);
      }
      return null;
    }
  }

  IntegerField field(String key) {
    return fields.get(key);
  }

  Checkbox consent() {
    return helpOthers;
  }

  Checkbox portMapping() {
    return portMapping;
  }

  Button saveButton() {
    return save;
  }
}
