/* The contribution form, enhanced (every part also works without this script):
   - "Reageer" opens the form in place under that contribution (parent_id set);
   - the button says what is posted, following the chosen kind;
   - "Voorbeeld bekijken" shows the preview without a page load;
   - a draft is kept in this browser (localStorage, per case) until it is posted. */
(function () {
  "use strict";
  var form = document.getElementById("contribution-form");
  if (!form) { return; }
  var home = form.parentNode;
  var homeNext = form.nextSibling;
  var parentField = form.querySelector("[data-parent-field]");
  var body = form.querySelector("textarea[name=body]");
  var submit = form.querySelector("[data-submit-button]");
  var formCancel = form.querySelector("button[data-reply-cancel]");
  var placeholder = document.querySelector("[data-reply-placeholder]");
  var openedFrom = null;

  function syncLabel() {
    var chosen = form.querySelector("input[name=kind]:checked");
    if (chosen && submit) { submit.textContent = chosen.getAttribute("data-submit-label"); }
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "kind") { syncLabel(); }
  });

  function openReply(link) {
    var id = link.getAttribute("data-reply");
    var article = document.getElementById("bijdrage-" + id);
    if (!article || !parentField) { window.location.href = link.href; return; }
    parentField.value = id;
    article.insertAdjacentElement("afterend", form);
    form.classList.add("contribution-form--reply");
    if (formCancel) { formCancel.hidden = false; }
    if (placeholder) { placeholder.hidden = false; }
    openedFrom = link;
    if (body) { body.focus(); }
  }

  function closeReply() {
    if (parentField) { parentField.value = ""; }
    home.insertBefore(form, homeNext);
    form.classList.remove("contribution-form--reply");
    if (formCancel) { formCancel.hidden = true; }
    if (placeholder) { placeholder.hidden = true; }
    if (openedFrom) { openedFrom.focus(); } else if (body) { body.focus(); }
    openedFrom = null;
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) { return; }
    var link = target.closest("a[data-reply]");
    if (link) { event.preventDefault(); openReply(link); return; }
    if (target.closest("[data-reply-cancel]")) { event.preventDefault(); closeReply(); }
  });

  var previewButton = form.querySelector("[data-preview-button]");
  var previewBox = form.querySelector("#contribution-preview");
  var previewBody = form.querySelector("[data-preview-body]");
  if (previewButton && previewBox && previewBody && body && window.fetch && window.FormData) {
    previewButton.addEventListener("click", function (event) {
      event.preventDefault();
      var data = new FormData();
      data.append("csrf_token", form.querySelector("[name=csrf_token]").value);
      data.append("body", body.value);
      window.fetch(form.getAttribute("data-preview-url"), {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      }).then(function (json) {
        previewBody.innerHTML = json.html;  /* rendered and sanitised by the server */
        previewBox.hidden = false;
      }).catch(function () {
        form.insertAdjacentHTML("beforeend", '<input type="hidden" name="action" value="preview">');
        form.submit();  /* the preview as a page, as without JavaScript */
      });
    });
  }

  var key = form.getAttribute("data-draft-key");
  var sentKey = key + "-sent";
  try {
    if (key && body && window.localStorage && window.sessionStorage) {
      if (window.sessionStorage.getItem(sentKey)) {
        window.sessionStorage.removeItem(sentKey);
        if (!form.hasAttribute("data-failed")) { window.localStorage.removeItem(key); }
      }
      var saved = window.localStorage.getItem(key);
      if (saved && !body.value) { body.value = saved; }
      body.addEventListener("input", function () {
        if (body.value) { window.localStorage.setItem(key, body.value); }
        else { window.localStorage.removeItem(key); }
      });
      form.addEventListener("submit", function (event) {
        var by = event.submitter;
        if (!by || by.value !== "preview") { window.sessionStorage.setItem(sentKey, "1"); }
      });
    }
  } catch (error) { /* storage switched off: no draft, the form works as it is */ }
}());
