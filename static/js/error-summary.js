// After a failed submit the page opens at the error summary (the form's action carries
// a fragment, which works without JavaScript); this moves the focus there too, so a
// keyboard or screen reader user starts at the list of what to fix. It waits for the
// load event: going to the fragment moves the focus to the page itself first.
(function () {
  "use strict";
  function focusSummary() {
    var summary = document.querySelector(".error-summary");
    if (summary) {
      summary.focus();
    }
  }
  if (document.readyState === "complete") {
    window.setTimeout(focusSummary, 0);
  } else {
    window.addEventListener("load", function () {
      window.setTimeout(focusSummary, 0);
    });
  }
})();
