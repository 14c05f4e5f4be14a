package org.dure.ui;

import com.vaadin.flow.di.DefaultInstantiator;
import com.vaadin.flow.di.Instantiator;
import com.vaadin.flow.di.InstantiatorFactory;
import com.vaadin.flow.i18n.I18NProvider;
import com.vaadin.flow.server.VaadinService;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;
import org.dure.node.Attachments;
import org.dure.node.PeerNode;
import org.dure.store.WikiStore;
import org.dure.ui.i18n.DureI18N;
import org.dure.ui.render.MarkdownRenderer;
import org.jspecify.annotations.Nullable;

/**
 * Creates views for browserless tests the way Spring does in the app: constructors taking a {@link
 * WikiStore} and/or a {@link MarkdownRenderer} get the test's store ({@link ViewTestSupport}) and a
 * renderer; every other class is created by Vaadin's default instantiator. The texts come from
 * {@link DureI18N}, as in the app.
 */
public class WikiStoreInstantiatorFactory implements InstantiatorFactory {
  private static final long serialVersionUID = 1L;

  /**
   * Vaadin's Spring integration finds this class too when the browser tests start the app from the
   * same class path; outside a view test it therefore returns {@code null}, which lets Spring's own
   * instantiator be used.
   */
  @Override
  public @Nullable Instantiator createInstantitor(VaadinService service) {
    if (ViewTestSupport.currentStore().isEmpty()) {
      return null;
    }
    return new DefaultInstantiator(service) {
      private static final long serialVersionUID = 1L;
      private final I18NProvider i18n = new DureI18N();

      /** The app's texts, as Spring gives them to the running app. */
      @Override
      public I18NProvider getI18NProvider() {
        return i18n;
      }

      @Override
      public <T> T getOrCreate(Class<T> type) {
        for (Constructor<?> c : type.getConstructors()) {
          Class<?>[] params = c.getParameterTypes();
          if (params.length > 0 && Arrays.stream(params).allMatch(p -> injectable(p))) {
            Object[] args = Arrays.stream(params).map(p -> argument(p)).toArray();
            try {
              return type.cast(c.newInstance(args));
            } catch (InvocationTargetException e) {
              if (e.getCause() instanceof RuntimeException r) {
                throw r;
              }
              throw new IllegalStateException(e.getCause());
            } catch (ReflectiveOperationException e) {
              throw new IllegalStateException(e);
            }
          }
        }
        return super.getOrCreate(type);
      }
    };
  }

  private static boolean injectable(Class<?> p) {
    return p == WikiStore.class
        || p == MarkdownRenderer.class
        || p == PeerNode.class
        || p == Attachments.class;
  }

  private static Object argument(Class<?> p) {
    if (p == PeerNode.class) {
      return ViewTestSupport.currentNode();
    }
    if (p == Attachments.class) {
      return ViewTestSupport.currentAttachments();
    }
    return p == WikiStore.class
        ? ViewTestSupport.currentStore().orElseThrow()
        : new MarkdownRenderer();
  }
}
