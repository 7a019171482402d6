/*
 * Cell renderers for dash-ag-grid. Names and titles are untrusted text, so a link cell is a
 * React <a> element whose child is the plain string: React escapes it, nothing is parsed as
 * HTML or markdown. A plain left click navigates inside the Dash app the way dcc.Link does
 * (pushState + the event dcc.Location listens for); modified clicks keep the browser's
 * behaviour (new tab, etc.).
 */
var dagcomponentfuncs = (window.dashAgGridComponentFunctions =
    window.dashAgGridComponentFunctions || {});

function paaInternalLink(props) {
    if (!props.data) {
        return null;
    }
    var id = props.data[props.idField];
    var href = props.base + encodeURIComponent(String(id));
    var text = props.value === null || props.value === undefined ? "" : String(props.value);
    return React.createElement(
        "a",
        {
            href: href,
            className: "grid-link",
            onClick: function (event) {
                if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey ||
                        event.altKey) {
                    return;
                }
                event.preventDefault();
                window.history.pushState({}, "", href);
                window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
                window.scrollTo(0, 0);
            },
        },
        text
    );
}

dagcomponentfuncs.SpeakerLink = paaInternalLink;
dagcomponentfuncs.ShowLink = paaInternalLink;
