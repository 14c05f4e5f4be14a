package org.dure.ui.social;

import com.vaadin.flow.component.Html;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.data.value.ValueChangeMode;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;
import org.dure.identity.PeerId;
import org.dure.moderation.CommentRules;
import org.dure.store.WikiStore;
import org.dure.store.social.Comments;
import org.dure.store.sync.DocumentRef;
import org.dure.store.wiki.PageId;
import org.dure.store.wiki.SpaceId;
import org.dure.ui.base.Formats;
import org.dure.ui.base.Links;
import org.dure.ui.base.LiveRefresh;
import org.dure.ui.render.MarkdownRenderer;

/**
 * The discussion under a page: comments with their replies, oldest first; reply, edit and delete
 * one's own, hide as a moderator. Comments and profiles arriving from peers show at once; a reply
 * or edit being typed survives that. A comment by a peer this user muted is collapsed to one line
 * until they click "show" (its replies by others are shown as usual).
 */
public class CommentsPanel extends VerticalLayout {
  private static final long serialVersionUID = 1L;

  private final transient WikiStore store;
  private final transient CommentRules rules;
  private final transient MarkdownRenderer renderer;
  private final PageId page;
  private final H3 heading = new H3();
  private final Div thread = new Div();
  private final TextArea newComment = new TextArea();
  private final Button add = new Button();

  /** The inline editor open under a comment: a reply to it or an edit of it, and its text. */
  private enum Mode {
    REPLY,
    EDIT
  }

  /** Comments by muted peers the user chose to see. */
  private final Set<String> revealed = new HashSet<>();

  private Mode openMode;
  private String openId;
  private String openText = "";

  public CommentsPanel(WikiStore store, MarkdownRenderer renderer, PageId page) {
    this.store = store;
    this.rules = new CommentRules(store);
    this.renderer = renderer;
    this.page = page;
    setId("comments");
    addClassName("dure-comments");
    setPadding(false);
    heading.setId("comments-heading");
    thread.setId("comment-thread");
    thread.setWidthFull();
    newComment.setId("new-comment");
    newComment.setWidthFull();
    newComment.setMaxLength(Comments.MAX_BODY);
    newComment.setPlaceholder(getTranslation("social.comments.placeholder"));
    newComment.setAriaLabel(getTranslation("social.comments.new"));
    add.setText(getTranslation("social.comments.add"));
    add.setId("add-comment");
    add.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    add.addClickListener(
        e -> {
          if (run(() -> rules.add(page, newComment.getValue()))) {
            newComment.clear();
          }
        });
    add(heading, thread, newComment, add);
    String docId = Comments.docId(page);
    LiveRefresh.onChange(
        this,
        store,
        doc -> doc.id().equals(docId) || doc.kind() == DocumentRef.Kind.PROFILE,
        this::render);
    render();
  }

  /** {@code current} if it shows {@code page}, else a new panel for it (keeps what is typed). */
  public static CommentsPanel reuse(
      CommentsPanel current, WikiStore store, MarkdownRenderer renderer, PageId page) {
    return current != null && current.page.equals(page)
        ? current
        : new CommentsPanel(store, renderer, page);
  }

  /** Shows the thread as the store has it now. */
  void render() {
    thread.removeAll();
    SpaceId space;
    try {
      space = store.summary(page).spaceId();
    } catch (NoSuchElementException e) {
      return;
    }
    boolean moderator = rules.canHide(space);
    boolean writer = rules.canComment(space);
    List<Comments.Entry> entries = rules.thread(page);
    long shown = entries.stream().filter(e -> !e.comment().deleted()).count();
    heading.setText(getTranslation("social.comments.heading", shown));
    if (entries.isEmpty()) {
      Paragraph none = new Paragraph(getTranslation("social.comments.none"));
      none.addClassName("dure-muted");
      none.setId("comments-none");
      thread.add(none);
    }
    Set<PeerId> muted = store.moderation().mutedPeers().keySet();
    for (Comments.Entry e : entries) {
      Comments.Comment c = e.comment();
      if (muted.contains(c.author()) && !c.deleted() && !revealed.contains(c.id())) {
        thread.add(collapsed(e));
      } else {
        thread.add(comment(e, space, moderator, writer));
      }
    }
    newComment.setVisible(writer);
    add.setVisible(writer);
  }

  private Div comment(Comments.Entry entry, SpaceId space, boolean moderator, boolean writer) {
    Comments.Comment c = entry.comment();
    boolean mine = c.author().equals(store.identity().peerId());
    Div box = new Div();
    box.addClassName("dure-comment");
    box.getElement().setAttribute("data-comment", c.id());
    box.getStyle()
        .set("margin-left", (entry.depth() * 1.5) + "em")
        .set("border-left", "2px solid var(--lumo-contrast-10pct)")
        .set("padding", "0.25em 0.75em")
        .set("margin-bottom", "0.5em");

    Span when = new Span(Formats.absolute(c.created(), UI.getCurrent().getLocale()));
    when.addClassName("dure-muted");
    HorizontalLayout head = new HorizontalLayout(new AuthorBadge(store, c.author()), when);
    head.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.CENTER);
    if (c.edited().isPresent() && !c.deleted()) {
      Span edited = new Span(getTranslation("social.comments.edited"));
      edited.addClassName("dure-muted");
      head.add(edited);
    }
    if (c.hidden() && moderator) {
      Span hidden = new Span(getTranslation("social.comments.hiddenMark"));
      hidden.addClassName("dure-comment-hidden-mark");
      head.add(hidden);
    }
    box.add(head);

    Div body = new Div();
    body.addClassName("dure-comment-body");
    if (c.deleted()) {
      body.add(muted(getTranslation("social.comments.deleted")));
    } else if (c.hidden() && !moderator) {
      body.add(muted(getTranslation("social.comments.hidden")));
    } else {
      body.add(
          new Html(
              renderer.render(
                  c.body(),
                  t -> store.findPage(space, t).map(p -> Links.pageHref(p.id())),
                  t -> Links.newPageHref(space, t))));
    }
    box.add(body);

    HorizontalLayout actions = new HorizontalLayout();
    actions.addClassName("dure-comment-actions");
    if (writer) {
      actions.add(small("social.comments.reply", "reply", () -> open(Mode.REPLY, c.id(), "")));
    }
    if (mine && !c.deleted()) {
      actions.add(small("social.comments.edit", "edit", () -> open(Mode.EDIT, c.id(), c.body())));
      actions.add(
          small(
              "social.comments.delete",
              "delete",
              () -> run(() -> store.comments().delete(page, c.id()))));
    }
    if (moderator && !c.deleted()) {
      actions.add(
          c.hidden()
              ? small(
                  "social.comments.unhide",
                  "unhide",
                  () -> run(() -> rules.hide(page, c.id(), false)))
              : small(
                  "social.comments.hide", "hide", () -> run(() -> rules.hide(page, c.id(), true))));
    }
    box.add(actions);
    if (c.id().equals(openId) && openMode != null) {
      box.add(editor(c));
    }
    return box;
  }

  /** A muted peer's comment as one line, with a button that shows it. */
  private Div collapsed(Comments.Entry entry) {
    Comments.Comment c = entry.comment();
    Div box = new Div();
    box.addClassName("dure-comment");
    box.addClassName("dure-comment-muted");
    box.getElement().setAttribute("data-comment", c.id());
    box.getStyle()
        .set("margin-left", (entry.depth() * 1.5) + "em")
        .set("padding", "0.25em 0.75em")
        .set("margin-bottom", "0.5em");
    Button show =
        small(
            "social.comments.muted.show",
            "reveal",
            () -> {
              revealed.add(c.id());
              render();
            });
    HorizontalLayout line =
        new HorizontalLayout(muted(getTranslation("social.comments.muted")), show);
    line.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
    box.add(line);
    return box;
  }

  private Div editor(Comments.Comment c) {
    TextArea text = new TextArea();
    text.addClassName("dure-comment-editor");
    text.setWidthFull();
    text.setMaxLength(Comments.MAX_BODY);
    text.setValueChangeMode(ValueChangeMode.EAGER);
    text.setValue(openText);
    text.addValueChangeListener(e -> openText = e.getValue());
    Mode mode = openMode;
    Button ok =
        new Button(
            getTranslation(
                mode == Mode.REPLY ? "social.comments.sendReply" : "social.comments.save"));
    ok.addClassName("dure-comment-editor-ok");
    ok.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_SMALL);
    ok.addClickListener(
        e -> {
          String value = text.getValue();
          boolean done =
              run(
                  () -> {
                    if (mode == Mode.REPLY) {
                      rules.reply(page, c.id(), value);
                    } else {
                      store.comments().edit(page, c.id(), value);
                    }
                  });
          if (done) {
            openMode = null;
            openId = null;
            openText = "";
            render();
          }
        });
    Button cancel = new Button(getTranslation("social.comments.cancel"));
    cancel.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
    cancel.addClickListener(
        e -> {
          openMode = null;
          openId = null;
          render();
        });
    return new Div(text, new HorizontalLayout(ok, cancel));
  }

  private void open(Mode mode, String commentId, String text) {
    openMode = mode;
    openId = commentId;
    openText = text;
    render();
  }

  private Button small(String key, String cls, Runnable action) {
    Button b = new Button(getTranslation(key));
    b.addClassName("dure-comment-" + cls);
    b.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
    b.addClickListener(e -> action.run());
    return b;
  }

  private static Span muted(String text) {
    Span s = new Span(text);
    s.addClassName("dure-muted");
    return s;
  }

  /** Runs a comment operation; shows why it was refused. Whether it succeeded. */
  private boolean run(Runnable op) {
    try {
      op.run();
    } catch (Comments.RefusedException e) {
      String key = "social.comments.error." + e.reason().name().toLowerCase(Locale.ROOT);
      Notification n =
          Notification.show(
              getTranslation(key, Comments.MAX_BODY), 5000, Notification.Position.MIDDLE);
      n.addThemeVariants(NotificationVariant.LUMO_ERROR);
      n.setId("comment-error");
      render(); // e.g. the comment was deleted meanwhile: show the thread as it is
      return false;
    }
    render();
    return true;
  }
}
