// memberdesk web UI: progressive enhancement only. Every page works without this script:
// each feature below replaces a full-page round trip that the server also answers.
"use strict";

(function () {
  /** The session's CSRF token, for requests made from script. */
  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  /** Inserts `text` into a textarea at the cursor (replacing a selection), on its own lines. */
  function insertAtCursor(textarea, text) {
    var start = textarea.selectionStart || 0;
    var end = textarea.selectionEnd || 0;
    var before = textarea.value.slice(0, start);
    var after = textarea.value.slice(end);
    var lead = before && !/\n\n$/.test(before) ? (/\n$/.test(before) ? "\n" : "\n\n") : "";
    var trail = after && !/^\n/.test(after) ? "\n\n" : "";
    textarea.value = before + lead + text + trail + after;
    var caret = (before + lead + text).length;
    textarea.focus();
    textarea.setSelectionRange(caret, caret);
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  /** A short message under the reply tools (replaced on the next one). */
  function composerMessage(form, text, isError) {
    var box = form.querySelector(".composer__message");
    if (!box) {
      box = document.createElement("p");
      box.className = "composer__message";
      var tools = form.querySelector(".composer__tools");
      (tools || form).insertAdjacentElement("afterend", box);
    }
    box.className = "composer__message " + (isError ? "field-error" : "hint");
    box.setAttribute("role", isError ? "alert" : "status");
    box.textContent = text;
  }

  // Canned responses: fetch the response filled in for this ticket and insert it at the cursor.
  // Without script, the "Insert" button posts the form and the page comes back with the text.
  function setUpCanned() {
    var button = document.getElementById("canned-insert");
    var select = document.getElementById("canned-select");
    var textarea = document.getElementById("reply-body");
    var form = document.getElementById("reply-form");
    if (!button || !select || !textarea || !form) return;
    button.addEventListener("click", function (event) {
      event.preventDefault();
      if (!select.value) {
        composerMessage(form, "Choose a canned response to insert.", true);
        select.focus();
        return;
      }
      var url = "/ui/tickets/" + encodeURIComponent(form.dataset.ticketId) + "/canned/" + encodeURIComponent(select.value);
      button.disabled = true;
      fetch(url, { credentials: "same-origin", headers: { Accept: "text/plain" } })
        .then(function (response) {
          if (!response.ok) throw new Error("status " + response.status);
          return response.text();
        })
        .then(function (text) {
          insertAtCursor(textarea, text);
          composerMessage(form, "Canned response inserted; review it before sending.", false);
        })
        .catch(function () {
          composerMessage(form, "The canned response could not be loaded. Please try again.", true);
        })
        .finally(function () {
          button.disabled = false;
        });
    });
  }

  // Confirmation before destructive forms (`data-confirm` holds the question).
  function setUpConfirm() {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      var question = form && form.getAttribute && form.getAttribute("data-confirm");
      if (question && !window.confirm(question)) event.preventDefault();
    }, true);
  }

  // A form sent once is not sent twice by a double click.
  function setUpSingleSubmit() {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (event.defaultPrevented || !form || form.method.toLowerCase() !== "post") return;
      if (form.dataset.sent === "yes") {
        event.preventDefault();
        return;
      }
      form.dataset.sent = "yes";
      window.setTimeout(function () { form.dataset.sent = ""; }, 5000);
    });
  }

  // Categories: drag a category onto another to move it there (the server applies the same
  // one-place moves the buttons post, one after the other, then the page reloads).
  function setUpCategoryDrag() {
    var list = document.getElementById("category-list");
    if (!list) return;
    var dragged = null;
    Array.prototype.forEach.call(list.querySelectorAll("li[data-category-id]"), function (item) {
      item.setAttribute("draggable", "true");
      item.addEventListener("dragstart", function (event) {
        dragged = item;
        item.classList.add("is-dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", item.dataset.categoryId);
      });
      item.addEventListener("dragend", function () {
        item.classList.remove("is-dragging");
      });
      item.addEventListener("dragover", function (event) {
        if (dragged && dragged !== item) {
          event.preventDefault();
          item.classList.add("drop-target");
        }
      });
      item.addEventListener("dragleave", function () {
        item.classList.remove("drop-target");
      });
      item.addEventListener("drop", function (event) {
        event.preventDefault();
        item.classList.remove("drop-target");
        if (!dragged || dragged === item) return;
        var items = Array.prototype.slice.call(list.querySelectorAll("li[data-category-id]"));
        var from = items.indexOf(dragged);
        var to = items.indexOf(item);
        var direction = to < from ? "up" : "down";
        var steps = Math.abs(to - from);
        var id = dragged.dataset.categoryId;
        var move = function (left) {
          if (left === 0) {
            window.location.reload();
            return;
          }
          var body = new URLSearchParams();
          body.set("_csrf", csrfToken());
          body.set("direction", direction);
          fetch("/ui/admin/categories/" + encodeURIComponent(id) + "/move", {
            method: "POST",
            credentials: "same-origin",
            body: body,
          }).then(function (response) {
            if (!response.ok) throw new Error("status " + response.status);
            move(left - 1);
          }).catch(function () {
            window.location.reload();
          });
        };
        move(steps);
      });
    });
  }

  // The summary panel: Refresh and Retry without leaving the page (the server sends the panel
  // back), and Copy to clipboard.
  function setUpSummary() {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.classList || !form.classList.contains("summary-refresh-form")) return;
      var panel = document.getElementById("summary-panel");
      if (!panel || !window.fetch) return;
      event.preventDefault();
      var loading = document.getElementById("summary-loading");
      if (loading) loading.hidden = false;
      Array.prototype.forEach.call(panel.querySelectorAll("button"), function (b) { b.disabled = true; });
      fetch(form.action, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-Requested-With": "memberdesk" },
        body: new URLSearchParams(new FormData(form)),
      }).then(function (response) {
        if (response.status !== 200 && response.status !== 503) throw new Error("status " + response.status);
        return response.text();
      }).then(function (html) {
        panel.outerHTML = html;
        showCopy();
        var fresh = document.getElementById("summary-refresh");
        if (fresh) fresh.focus();
      }).catch(function () {
        form.submit();
      });
    }, true);
    document.addEventListener("click", function (event) {
      var button = event.target.closest ? event.target.closest("#summary-copy") : null;
      if (!button) return;
      var content = document.getElementById("summary-content");
      if (!content) return;
      var text = content.innerText.trim();
      var done = function () {
        var label = button.textContent;
        button.textContent = "Copied";
        window.setTimeout(function () { button.textContent = label; }, 2000);
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, function () { copyBySelection(content) && done(); });
      } else if (copyBySelection(content)) {
        done();
      }
    });
    showCopy();
  }

  function copyBySelection(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    selection.removeAllRanges();
    return ok;
  }

  /** Copying needs script, so the button only shows with it. */
  function showCopy() {
    var copy = document.getElementById("summary-copy");
    if (copy) copy.hidden = false;
  }

  function ready() {
    setUpSummary();
    setUpCanned();
    setUpConfirm();
    setUpSingleSubmit();
    setUpCategoryDrag();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
