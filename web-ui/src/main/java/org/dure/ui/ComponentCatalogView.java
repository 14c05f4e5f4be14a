package org.dure.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.Html;
import com.vaadin.flow.component.accordion.Accordion;
import com.vaadin.flow.component.avatar.Avatar;
import com.vaadin.flow.component.avatar.AvatarGroup;
import com.vaadin.flow.component.badge.Badge;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.card.Card;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.checkbox.CheckboxGroup;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.combobox.MultiSelectComboBox;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.contextmenu.ContextMenu;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.datetimepicker.DateTimePicker;
import com.vaadin.flow.component.details.Details;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Hr;
import com.vaadin.flow.component.html.Image;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.NativeButton;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.html.UnorderedList;
import com.vaadin.flow.component.icon.Icon;
import com.vaadin.flow.component.icon.SvgIcon;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.listbox.ListBox;
import com.vaadin.flow.component.markdown.Markdown;
import com.vaadin.flow.component.masterdetaillayout.MasterDetailLayout;
import com.vaadin.flow.component.menubar.MenuBar;
import com.vaadin.flow.component.messages.MessageInput;
import com.vaadin.flow.component.messages.MessageList;
import com.vaadin.flow.component.messages.MessageListItem;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.orderedlayout.FlexLayout;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.Scroller;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.popover.Popover;
import com.vaadin.flow.component.progressbar.ProgressBar;
import com.vaadin.flow.component.radiobutton.RadioButtonGroup;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.shared.Tooltip;
import com.vaadin.flow.component.splitlayout.SplitLayout;
import com.vaadin.flow.component.tabs.Tab;
import com.vaadin.flow.component.tabs.TabSheet;
import com.vaadin.flow.component.tabs.Tabs;
import com.vaadin.flow.component.textfield.EmailField;
import com.vaadin.flow.component.textfield.IntegerField;
import com.vaadin.flow.component.textfield.NumberField;
import com.vaadin.flow.component.textfield.PasswordField;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.component.timepicker.TimePicker;
import com.vaadin.flow.component.treegrid.TreeGrid;
import com.vaadin.flow.component.upload.Upload;
import com.vaadin.flow.component.virtuallist.VirtualList;
import com.vaadin.flow.data.renderer.ComponentRenderer;
import com.vaadin.flow.data.renderer.LitRenderer;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouterLink;
import com.vaadin.flow.server.streams.DownloadHandler;
import com.vaadin.flow.server.streams.DownloadResponse;
import com.vaadin.flow.server.streams.UploadHandler;
import com.vaadin.flow.theme.lumo.LumoUtility;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * A hidden page ({@code /_components}) that uses every Vaadin component the UI may need, once.
 *
 * <p><b>Why it exists.</b> Dure is built in production mode from a committed frontend bundle
 * ({@code web-ui/src/main/bundles/prod.bundle}), so that building needs no Node.js. At build time
 * Vaadin scans the classes reachable from the routes for the components' front-end modules and
 * compares them (and the npm package versions) with the bundle; if a route uses a component whose
 * module is not in the bundle, the build must make a new bundle, which needs Node 24 (see {@code
 * web-ui/README.md}). Because this page uses all of these components, the committed bundle already
 * holds them, and views written later can use any of them without a bundle rebuild. Remove nothing
 * from here unless the bundle is rebuilt; add a component here (and rebuild once) before a view
 * needs it. It is also a quick visual catalog of the Lumo look.
 */
@Route("_components")
@PageTitle("Components · Dure")
public class ComponentCatalogView extends VerticalLayout {
  private static final long serialVersionUID = 1L;

  /** A row for the grids. */
  record Row(String name, int count) {}

  /** Builds the page. */
  public ComponentCatalogView() {
    setId("component-catalog");
    add(new H1("Components"));
    section("Fields", fields());
    section("Buttons, menus and overlays", buttonsAndMenus());
    section("Data", dataViews());
    section("Containers", containers());
    section("Content", content());
  }

  private void section(String title, Component content) {
    add(new H2(title), content);
  }

  private Component fields() {
    TextField text = new TextField("Text field");
    text.setTooltipText("A tooltip");
    TextArea area = new TextArea("Text area");
    PasswordField password = new PasswordField("Password");
    EmailField email = new EmailField("Email");
    IntegerField integer = new IntegerField("Integer");
    NumberField number = new NumberField("Number");
    Checkbox checkbox = new Checkbox("Checkbox");
    CheckboxGroup<String> checkboxGroup = new CheckboxGroup<>("Checkbox group", "a", "b");
    RadioButtonGroup<String> radio = new RadioButtonGroup<>("Radio", "a", "b");
    ComboBox<String> combo = new ComboBox<>("Combo box", "a", "b");
    MultiSelectComboBox<String> multi = new MultiSelectComboBox<>("Multi-select combo box");
    multi.setItems("a", "b");
    Select<String> select = new Select<>();
    select.setLabel("Select");
    select.setItems("a", "b");
    ListBox<String> listBox = new ListBox<>();
    listBox.setItems("a", "b");
    DatePicker date = new DatePicker("Date");
    TimePicker time = new TimePicker("Time");
    DateTimePicker dateTime = new DateTimePicker("Date and time");
    Upload upload = new Upload(UploadHandler.inMemory((metadata, data) -> {}));
    FormLayout form = new FormLayout();
    form.add(
        text,
        area,
        password,
        email,
        integer,
        number,
        checkbox,
        checkboxGroup,
        radio,
        combo,
        multi,
        select,
        listBox,
        date,
        time,
        dateTime,
        upload);
    return form;
  }

  private Component buttonsAndMenus() {
    Button button = new Button("Button", VaadinIcon.CHECK.create());
    button.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
    Tooltip.forComponent(button).setText("Tooltip");
    NativeButton nativeButton = new NativeButton("Native button");

    MenuBar menuBar = new MenuBar();
    menuBar.addItem("File").getSubMenu().addItem("Open");
    menuBar.addItem("Edit");

    Span contextTarget = new Span("Right-click me");
    ContextMenu contextMenu = new ContextMenu(contextTarget);
    contextMenu.addItem("Item", event -> {});

    Button popoverTarget = new Button("Popover");
    Popover popover = new Popover(new Paragraph("Popover content"));
    popover.setTarget(popoverTarget);

    Dialog dialog = new Dialog(new Paragraph("Dialog content"));
    dialog.setHeaderTitle("Dialog");
    Button openDialog = new Button("Dialog", event -> dialog.open());

    ConfirmDialog confirm =
        new ConfirmDialog("Confirm", "Are you sure?", "Yes", event -> {}, "No", event -> {});
    Button openConfirm = new Button("Confirm dialog", event -> confirm.open());

    Button notify = new Button("Notification", event -> Notification.show("Notification"));

    return new HorizontalLayout(
        button,
        nativeButton,
        menuBar,
        contextTarget,
        popoverTarget,
        popover,
        openDialog,
        openConfirm,
        notify);
  }

  private Component dataViews() {
    List<Row> rows = List.of(new Row("a", 1), new Row("b", 2));
    Grid<Row> grid = new Grid<>(Row.class, false);
    grid.addColumn(Row::name).setHeader("Name").setSortable(true);
    grid.addColumn(LitRenderer.<Row>of("<b>${item.count}</b>").withProperty("count", Row::count))
        .setHeader("Lit renderer");
    grid.addComponentColumn(row -> new Span(row.name())).setHeader("Component");
    grid.setItems(rows);
    grid.setAllRowsVisible(true);

    TreeGrid<Row> tree = new TreeGrid<>();
    tree.addHierarchyColumn(Row::name).setHeader("Tree");
    tree.setItems(rows, row -> List.of());

    VirtualList<Row> virtualList = new VirtualList<>();
    virtualList.setRenderer(new ComponentRenderer<>(row -> new Span(row.name())));
    virtualList.setItems(rows);

    MessageList messages = new MessageList(new MessageListItem("Hello", Instant.EPOCH, "Someone"));
    MessageInput messageInput = new MessageInput(event -> {});

    return new VerticalLayout(grid, tree, virtualList, messages, messageInput);
  }

  private Component containers() {
    Tabs tabs = new Tabs(new Tab("One"), new Tab("Two"));
    TabSheet tabSheet = new TabSheet();
    tabSheet.add("First", new Span("First tab"));
    tabSheet.add("Second", new Span("Second tab"));
    Details details = new Details("Details", new Span("Hidden content"));
    Accordion accordion = new Accordion();
    accordion.add("Panel", new Span("Panel content"));
    SplitLayout split = new SplitLayout(new Span("Left"), new Span("Right"));
    MasterDetailLayout masterDetail = new MasterDetailLayout();
    masterDetail.setMaster(new Span("Master"));
    masterDetail.setDetail(new Span("Detail"));
    Card card = new Card();
    card.setTitle("Card");
    card.setSubtitle("Subtitle");
    card.add(new Span("Card content"));
    Scroller scroller = new Scroller(new Div(new Span("Scrolled")));
    FlexLayout flex = new FlexLayout(new Span("Flex"));
    return new VerticalLayout(
        tabs, tabSheet, details, accordion, split, masterDetail, card, scroller, flex);
  }

  private Component content() {
    Avatar avatar = new Avatar("Dure User");
    AvatarGroup avatars = new AvatarGroup();
    avatars.add(new AvatarGroup.AvatarGroupItem("A B"));
    Badge badge = new Badge("Badge");
    Span spanBadge = new Span("Span badge");
    spanBadge.getElement().getThemeList().add("badge");
    ProgressBar progress = new ProgressBar();
    progress.setIndeterminate(true);
    Icon icon = VaadinIcon.BOOK.create();
    SvgIcon svgIcon = new SvgIcon("images/dure.svg");
    Image image = new Image("images/dure.svg", "Dure logo");
    Image generated =
        new Image(
            DownloadHandler.fromInputStream(
                event ->
                    new DownloadResponse(
                        new ByteArrayInputStream(
                            "<svg xmlns='http://www.w3.org/2000/svg'/>"
                                .getBytes(StandardCharsets.UTF_8)),
                        "empty.svg",
                        "image/svg+xml",
                        -1)),
            "generated");
    Markdown markdown = new Markdown("**Markdown** with a [link](#)");
    Html html = new Html("<span>Raw <i>HTML</i></span>");
    Anchor anchor = new Anchor("#", "Anchor");
    RouterLink routerLink = new RouterLink("Router link", HomeView.class);
    Pre pre = new Pre("preformatted");
    Paragraph paragraph = new Paragraph("Paragraph");
    paragraph.addClassNames(LumoUtility.TextColor.SECONDARY);
    UnorderedList list = new UnorderedList(new ListItem("List item"));
    return new VerticalLayout(
        avatar,
        avatars,
        badge,
        spanBadge,
        progress,
        icon,
        svgIcon,
        image,
        generated,
        markdown,
        html,
        anchor,
        routerLink,
        pre,
        paragraph,
        list,
        new Hr());
  }
}
