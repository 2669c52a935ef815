// Keyboard shortcuts for the queue (the desk works without them: every action is a form).
// j/k next/previous post, x select, c confirm, n not relevant, e choose a label, o open, / filters.
// The Now page's live reload.
(function () {
  "use strict";
  function posts() { return Array.prototype.slice.call(document.querySelectorAll("article.qpost")); }
  function current() {
    var el = document.activeElement;
    while (el && !(el.classList && el.classList.contains("qpost"))) { el = el.parentElement; }
    return el;
  }
  function move(step) {
    var list = posts();
    if (!list.length) { return; }
    var i = list.indexOf(current());
    var next = list[Math.max(0, Math.min(list.length - 1, i < 0 ? 0 : i + step))];
    next.focus();
    next.scrollIntoView({ block: "nearest" });
  }
  function press(post, selector) {
    var b = post && post.querySelector(selector);
    if (b && !b.disabled) { b.click(); }
  }
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    var tag = (ev.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "select" || tag === "textarea" || ev.target.isContentEditable) { return; }
    if (!document.querySelector("article.qpost")) { return; }
    var post = current();
    switch (ev.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "x": if (post) { var s = post.querySelector("input.sel"); if (s) { s.checked = !s.checked; } } break;
      case "c": press(post, "button.do-confirm"); break;
      case "n": press(post, "button.do-nr"); break;
      case "e": if (post) { var p = post.querySelector("select.pick"); if (p) { p.focus(); } } break;
      case "o": if (post) { var a = post.querySelector("a.open"); if (a) { a.click(); } } break;
      case "/": var f = document.querySelector("#filters select, #filters input"); if (f) { f.focus(); } break;
      default: return;
    }
    ev.preventDefault();
  });
  // The Now page reloads itself every minute while it is shown and nobody is typing, unless unticked (remembered).
  var live = document.getElementById("live");
  if (live) {
    var shownSince = Date.now();
    live.checked = localStorage.getItem("vigil.live") !== "off";
    live.addEventListener("change", function () { localStorage.setItem("vigil.live", live.checked ? "on" : "off"); });
    document.getElementById("live-p").hidden = false;
    setInterval(function () {
      var typing = document.activeElement && document.activeElement !== live && document.activeElement.form;
      if (!live.checked || document.hidden || typing) { shownSince = Date.now(); return; }
      if (Date.now() - shownSince >= Number(live.dataset.every) * 1000) { location.reload(); }
    }, 1000);
  }
  // Back on the queue after a change: put the focus on the post that was changed, so the keys go on from there.
  if (location.hash && /^#p\d+$/.test(location.hash)) {
    var target = document.querySelector(location.hash);
    if (target && target.classList.contains("qpost")) { target.focus(); }
  }
})();
