// jsdom does no layout: every offsetParent is null and <body> measures 0×0, so Tabster (Fluent's
// focus manager) thinks nothing is visible — a dialog then can't focus its first button and
// hides itself from the accessibility tree. Give elements just enough "layout" for Tabster.
// Import this file in UI tests that open dialogs, menus or dropdowns.

Object.defineProperty(HTMLElement.prototype, "offsetParent", {
  configurable: true,
  get(this: HTMLElement) {
    if (getComputedStyle(this).display === "none") return null;
    for (let e = this.parentElement; e; e = e.parentElement) {
      if (getComputedStyle(e).display === "none") return null;
    }
    return this.parentElement;
  },
});

const bodyRect = document.body.getBoundingClientRect.bind(document.body);
document.body.getBoundingClientRect = () => {
  const rect = bodyRect();
  return rect.width === 0 && rect.height === 0 ? new DOMRect(0, 0, 1024, 768) : rect;
};
