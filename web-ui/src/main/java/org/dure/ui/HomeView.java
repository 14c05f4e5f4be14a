package org.dure.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.i18n.LocaleChangeEvent;
import com.vaadin.flow.i18n.LocaleChangeObserver;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Menu;
import com.vaadin.flow.router.Route;
import java.util.Optional;
import org.dure.store.WikiStore;
import org.dure.store.doc.Author;
import org.dure.store.social.Activity;
import org.dure.store.wiki.Space;
import org.dure.ui.base.Links;
import org.dure.ui.feed.FeedUi;
import org.dure.ui.social.AuthorBadge;

/**
 * The start page: the activity feed, recent changes across all spaces here, newest first, 20 at a
 * time ("Load more"). With no changes yet it links to the first space ("My wiki" on a new
 * installation).
 */
@Route("")
@Menu(title = "core.nav.home", order = 0, icon = "vaadin:home")
public class HomeView extends VerticalLayout
    implements HasDynamicTitle, BeforeEnterObserver, LocaleChangeObserver {
  private static final long serialVersionUID = 1L;

  private final transient WikiStore store;
  private final Div entries = new Div();
  private final Button more = new Button();
  private final Div empty = new Div();
  private final H1 title = new H1();
  private final Paragraph emptyText = new Paragraph();
  private final Span emptyOpen = new Span();
  private transient Optional<Activity.Cursor> next = Optional.empty();

  /** Builds the page with the newest entries. */
  public HomeView(WikiStore store) {
    this.store = store;
    setId("home-view");
    Space first = store.defaultSpace();
    entries.setId("feed");
    entries.addClassName("dure-feed");
    more.setId("feed-more");
    more.addClickListener(e -> load());
    empty.setId("feed-empty");
    Anchor toSpace = new Anchor(Links.spaceHref(first.id()), first.name());
    toSpace.setId("feed-empty-space");
    empty.add(emptyText, new Paragraph(emptyOpen, toSpace));
    add(title, empty, entries, more);
  }

  /** Sets the texts in the UI's language (on attach and when the language changes). */
  @Override
  public void localeChange(LocaleChangeEvent event) {
    title.setText(getTranslation("feed.title"));
    more.setText(getTranslation("feed.more"));
    emptyText.setText(getTranslation("feed.empty"));
    emptyOpen.setText(getTranslation("feed.empty.open") + " ");
    if (isAttached()) {
      entries.removeAll();
      next = Optional.empty();
      load();
    }
  }

  /** Shows the newest entries whenever the page is entered (also when it is already shown). */
  @Override
  public void beforeEnter(BeforeEnterEvent event) {
    entries.removeAll();
    next = Optional.empty();
    load();
  }

  @Override
  public String getPageTitle() {
    return getTranslation("core.title.page", getTranslation("feed.title"));
  }

  /** Adds the next page of entries. */
  private void load() {
    Activity.Feed feed = store.activity().recent(next, Activity.PAGE_SIZE);
    for (Activity.Entry e : feed.entries()) {
      entries.add(entry(e));
    }
    next = feed.next();
    more.setVisible(next.isPresent());
    empty.setVisible(entries.getComponentCount() == 0);
  }

  private Div entry(Activity.Entry e) {
    Div box = new Div();
    box.addClassName("dure-feed-entry");
    Anchor page = new Anchor(Links.pageHref(e.page()), e.title());
    page.addClassName("dure-feed-page");
    Anchor space = new Anchor(Links.spaceHref(e.space()), e.spaceName());
    space.addClassName("dure-feed-space");
    Span who = new Span(FeedUi.authorName(this, store, e.author(), e.claimed()));
    who.addClassName("dure-feed-author");
    if (e.claimed()) {
      who.getElement().setAttribute("title", getTranslation("feed.author.claimed.help"));
    } else if (e.author().isPresent() && !e.author().get().equals(Author.of(store.identity()))) {
      who.add(new Span(" "), AuthorBadge.verifiedMark(this));
    }
    Span when = new Span(FeedUi.time(e.time(), getLocale()));
    when.addClassName("dure-muted");
    Div head = new Div(page, new Span(" · "), space);
    head.addClassName("dure-feed-head");
    Span counts = new Span("+" + e.added() + " −" + e.removed());
    counts.addClassName("dure-feed-counts");
    String what =
        e.fromVersion() == 0
            ? getTranslation("feed.created", who.getText())
            : getTranslation("feed.edited", who.getText());
    Div line = new Div(new Span(what + " · "), when, new Span(" · "), counts);
    line.addClassName("dure-feed-line");
    box.add(head, line);
    if (!e.inserted().isEmpty()) {
      Div words = new Div(new Span("“" + e.inserted() + "”"));
      words.addClassName("dure-feed-words");
      box.add(words);
    }
    return box;
  }
}
