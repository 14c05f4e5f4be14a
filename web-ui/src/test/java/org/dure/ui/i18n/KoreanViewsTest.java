package org.dure.ui.i18n;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.dom.Element;
import com.vaadin.flow.server.VaadinSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.dure.store.wiki.PageSummary;
import org.dure.ui.NotFoundView;
import org.dure.ui.SearchView;
import org.dure.ui.ViewTestSupport;
import org.dure.ui.wiki.EditView;
import org.dure.ui.wiki.HistoryView;
import org.dure.ui.wiki.NewPageView;
import org.dure.ui.wiki.PageView;
import org.dure.ui.wiki.SpaceView;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The views rendered for a Korean browser: no text is a missing key ({@code !core.…!}), none is
 * left in English, and the main ones read as they should in Korean. (The network and share pages
 * need a running node; the browser test covers them.)
 */
class KoreanViewsTest extends ViewTestSupport {
  /** The properties and attributes that a user reads (or a screen reader reads out). */
  private static final Set<String> READ =
      Set.of(
          "label",
          "placeholder",
          "helperText",
          "errorMessage",
          "title",
          "alt",
          "aria-label",
          "accessibleName",
          "header",
          "confirmText",
          "cancelText",
          "rejectText",
          "text");

  /** Two or more English words in a row: text nobody translated. */
  private static final Pattern ENGLISH = Pattern.compile("[A-Za-z]{2,}[ ,.:;!?]+[A-Za-z]{2,}");

  private final PageSummary page;

  /** A Korean page with two versions, made before any view listens to the store. */
  KoreanViewsTest() {
    page = createPage("빵 굽기", "# 빵\n\n반죽을 [[발효]]시킨다.\n");
    store.replaceText(page.id(), "# 빵\n\n반죽을 오래 [[발효]]시킨다.\n", Optional.of("더 오래"));
  }

  @BeforeEach
  void koreanBrowser() {
    useLanguage(Locale.KOREAN);
  }

  @Test
  void theSpaceListIsInKorean() {
    navigate("space/" + space.id().value(), SpaceView.class);
    List<String> texts = shown();
    @SuppressWarnings("unchecked")
    Grid<?> pages = $(Grid.class).id("page-list");
    texts.addAll(gridTexts(pages));
    assertTrue(texts.contains("새 페이지"), texts.toString());
    assertTrue(texts.contains("공유"), texts.toString());
    assertTrue(texts.contains("페이지 2개"), texts.toString());
    assertTrue(texts.contains("수정한 때"), texts.toString());
    // the test store's clock is in January 2026: an absolute date, in Korean
    assertTrue(
        texts.stream().anyMatch(t -> t.matches("\\d{4}\\. \\d{1,2}\\. \\d{1,2}\\. (오전|오후) .+")),
        texts.toString());
    assertEquals(space.name() + " · 두레", title());
    assertKoreanOnly(texts);
  }

  @Test
  void theHeaderIsInKoreanAndOffersBothLanguages() {
    navigate("space/" + space.id().value(), SpaceView.class);
    List<String> texts = shown();
    assertTrue(texts.containsAll(List.of("두레", "홈", "네트워크", "공간", "검색")), texts.toString());
    @SuppressWarnings("unchecked")
    Select<Locale> language = $(Select.class).id("language-select");
    assertEquals(Locale.KOREAN, language.getValue());
    assertEquals("English", language.getItemLabelGenerator().apply(Locale.ENGLISH));
    assertEquals("한국어", language.getItemLabelGenerator().apply(Locale.KOREAN));
  }

  @Test
  void aPageAndItsEditorAreInKorean() {
    navigate("page/" + page.id().value(), PageView.class);
    List<String> texts = shown();
    assertTrue(texts.containsAll(List.of("편집", "기록", "이 페이지를 가리키는 곳", "버전 2")), texts.toString());
    assertEquals("빵 굽기 · 두레", title());
    assertKoreanOnly(texts);

    navigate("page/" + page.id().value() + "/edit", EditView.class);
    texts = shown();
    assertTrue(
        texts.containsAll(List.of("완료", "“빵 굽기” 편집 중", "이 문서를 연 사람이 나 말고는 없습니다.")),
        texts.toString());
    assertKoreanOnly(texts);
  }

  @Test
  void theHistoryWithItsDatesIsInKorean() {
    navigate("page/" + page.id().value() + "/history", HistoryView.class);
    @SuppressWarnings("unchecked")
    Grid<?> versions = $(Grid.class).id("versions");
    test(versions).select(1);
    List<String> texts = shown();
    texts.addAll(gridTexts(versions));
    assertTrue(texts.containsAll(List.of("버전", "때", "작성자", "설명", "나")), texts.toString());
    assertTrue(texts.contains("이 버전으로 되돌리기"), texts.toString());
    String heading = texts.stream().filter(t -> t.startsWith("버전 1 · ")).findFirst().orElseThrow();
    // a Korean date and time, e.g. "2026. 1. 1. 오전 9:00:01" (the time zone decides the hour)
    assertTrue(heading.matches("버전 1 · \\d{4}\\. \\d{1,2}\\. \\d{1,2}\\. (오전|오후) .+ · 나"), heading);
    assertKoreanOnly(texts);

    test($(Button.class).id("revert")).click();
    ConfirmDialog dialog = $(ConfirmDialog.class).single();
    assertEquals("버전 1(으)로 되돌릴까요?", test(dialog).getHeader());
    assertKoreanOnly(shown());
  }

  @Test
  void searchNewPageAndNotFoundAreInKorean() {
    open("search?q=반죽", SearchView.class);
    List<String> texts = shown();
    assertTrue(texts.contains("“반죽” 검색 결과"), texts.toString());
    assertTrue(texts.contains("페이지 1개를 찾았습니다."), texts.toString());
    assertKoreanOnly(texts);

    open("search?q=없는말", SearchView.class);
    texts = shown();
    assertTrue(texts.contains("“없는말” 페이지 만들기"), texts.toString());
    assertKoreanOnly(texts);

    open("new?title=발효", NewPageView.class);
    texts = shown();
    assertTrue(texts.containsAll(List.of("새 페이지", "제목", "페이지 만들기")), texts.toString());
    assertEquals("새 페이지 · 두레", title());
    assertKoreanOnly(texts);

    navigate("no/such/thing", NotFoundView.class);
    texts = shown();
    assertTrue(texts.contains("페이지를 찾을 수 없습니다"), texts.toString());
    assertTrue(texts.contains("/no/such/thing에는 페이지가 없습니다."), texts.toString());
    assertKoreanOnly(texts);
  }

  @Test
  void englishBrowsersStillGetEnglish() {
    useLanguage(Locale.ENGLISH);
    navigate("page/" + page.id().value(), PageView.class);
    List<String> texts = shown();
    assertTrue(
        texts.containsAll(List.of("Edit", "History", "Linked from", "Dure")), texts.toString());
    assertEquals("빵 굽기 · Dure", title());
  }

  @Test
  void theLanguageSelectorSwitchesAtOnceAndRemembersTheChoiceInACookie() {
    navigate("page/" + page.id().value(), PageView.class);
    UI.getCurrent().getInternals().dumpPendingJavaScriptInvocations();
    @SuppressWarnings("unchecked")
    Select<Locale> language = $(Select.class).id("language-select");

    test(language).selectItem("English");

    assertEquals(Locale.ENGLISH, UI.getCurrent().getLocale());
    assertEquals(Locale.ENGLISH, VaadinSession.getCurrent().getLocale());
    List<String> texts = shown();
    assertTrue(texts.containsAll(List.of("Edit", "History", "Dure", "Home")), texts.toString());
    assertEquals("빵 굽기 · Dure", title());
    @SuppressWarnings("unchecked")
    Select<Locale> rebuilt = $(Select.class).id("language-select");
    assertEquals(Locale.ENGLISH, rebuilt.getValue());
    String js =
        UI.getCurrent().getInternals().dumpPendingJavaScriptInvocations().stream()
            .map(i -> i.getInvocation().getParameters().toString())
            .collect(Collectors.joining("\n"));
    assertTrue(js.contains(UiLanguage.COOKIE + "=en; path=/; max-age="), js);
  }

  // --- helpers ---

  private static String title() {
    return UI.getCurrent().getInternals().getTitle();
  }

  /** Fails if a text is a missing key or reads as English. */
  private void assertKoreanOnly(List<String> texts) {
    List<String> bad = new ArrayList<>();
    for (String t : texts) {
      if (t.contains("!core.") || t.matches("(?s)!.+!")) {
        bad.add("missing key: " + t);
      }
      String withoutData = t.replace(space.name(), "");
      if (ENGLISH.matcher(withoutData).find()) {
        bad.add("English: " + t);
      }
    }
    assertEquals(List.of(), bad);
  }

  /** Every text the user can read on the page now: texts, labels, placeholders, grid headers. */
  private static List<String> shown() {
    List<String> out = new ArrayList<>();
    visit(UI.getCurrent(), out);
    return out;
  }

  private static void visit(Component c, List<String> out) {
    collect(c.getElement(), out);
    if (c instanceof Grid<?> g) {
      g.getColumns().forEach(col -> add(out, col.getHeaderText()));
    }
    c.getChildren().forEach(child -> visit(child, out));
  }

  private List<String> gridTexts(Grid<?> grid) {
    List<String> out = new ArrayList<>();
    var g = test(grid);
    for (int col = 0; col < grid.getColumns().size(); col++) {
      add(out, g.getCellText(0, col));
    }
    return out;
  }

  /** The element's own texts, and those of its children that are not components. */
  private static void collect(Element e, List<String> out) {
    if (e.isTextNode()) {
      add(out, e.getText());
      return;
    }
    for (String name : e.getPropertyNames().toList()) {
      if (READ.contains(name)) {
        add(out, e.getProperty(name));
      }
    }
    for (String name : e.getAttributeNames().toList()) {
      if (READ.contains(name)) {
        add(out, e.getAttribute(name));
      }
    }
    e.getChildren().filter(c -> c.getComponent().isEmpty()).forEach(c -> collect(c, out));
  }

  private static void add(List<String> out, String text) {
    if (text != null && !text.isBlank()) {
      out.add(text.strip());
    }
  }
}
