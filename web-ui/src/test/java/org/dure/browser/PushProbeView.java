package org.dure.browser;

import com.vaadin.flow.component.AttachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Route;

/**
 * Test-only page (on the test classpath only): a background thread changes the text through {@link
 * UI#access}, which reaches the browser only by server push.
 */
@Route("_test/push")
public class PushProbeView extends VerticalLayout {
  private static final long serialVersionUID = 1L;

  private final Span status = new Span("waiting");

  /** Builds the page. */
  public PushProbeView() {
    status.setId("push-status");
    add(status);
  }

  @Override
  protected void onAttach(AttachEvent event) {
    UI ui = event.getUI();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                Thread.sleep(300);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
              }
              ui.access(() -> status.setText("pushed"));
            });
  }
}
