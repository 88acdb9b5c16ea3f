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

  // The draft button (pages/draft.rs): asks the server for a draft and puts it into the editor
  // for review — it is never sent by itself. The draft's id goes with the reply posted from it
  // (the usage report). Without script the controls stay hidden: there is no draft then.
  function setUpDraft() {
    var tools = document.getElementById("draft-tools");
    var button = document.getElementById("draft-button");
    var form = document.getElementById("reply-form");
    var textarea = document.getElementById("reply-body");
    if (!tools || !button || !form || !textarea || !window.fetch) return;
    var loading = document.getElementById("draft-loading");
    var errorBox = document.getElementById("draft-error");
    var info = document.getElementById("draft-info");
    var draftId = document.getElementById("draft-id");
    var tone = document.getElementById("draft-tone");
    var knowledge = document.getElementById("draft-kb");
    var canned = document.getElementById("canned-select");
    var lastDraft = null;
    tools.hidden = false;

    function busy(on) {
      button.disabled = on;
      button.setAttribute("aria-busy", on ? "true" : "false");
      if (loading) loading.hidden = !on;
    }

    function element(tag, text) {
      var e = document.createElement(tag);
      if (text !== undefined) e.textContent = text;
      return e;
    }

    function list(title, items) {
      var box = element("div");
      box.appendChild(element("h3", title));
      var ul = element("ul");
      items.forEach(function (item) { ul.appendChild(element("li", item)); });
      box.appendChild(ul);
      return box;
    }

    function showInfo(draft) {
      info.textContent = "";
      var by = draft.generatedBy === "ai" ? "Generated by AI" : "Generated by the built-in drafter";
      var line = element("p", by + " · " + draft.tone + " tone · confidence " + Math.round(draft.confidence * 100) + "% — review before sending.");
      info.appendChild(line);
      if (draft.clarifyingQuestions && draft.clarifyingQuestions.length) {
        info.appendChild(list("Questions to clarify", draft.clarifyingQuestions));
      }
      if (draft.suggestedAttachments && draft.suggestedAttachments.length) {
        info.appendChild(list("Suggested knowledge-base articles", draft.suggestedAttachments.map(function (a) { return a.title; })));
      }
      info.hidden = false;
    }

    // The service is down: say so and offer the canned responses, each inserted as the
    // picker's "Insert" does.
    function showUnavailable(message, choices) {
      errorBox.textContent = "";
      errorBox.appendChild(element("p", message + ". Try again in a moment, or start from a canned response:"));
      var ul = element("ul");
      (choices || []).forEach(function (c) {
        var li = element("li");
        var b = element("button", c.title);
        b.type = "button";
        b.className = "button";
        b.addEventListener("click", function () {
          if (!canned) return;
          canned.value = c.id;
          var insert = document.getElementById("canned-insert");
          if (insert) insert.click();
        });
        li.appendChild(b);
        ul.appendChild(li);
      });
      if (!ul.children.length) errorBox.appendChild(element("p", "No canned responses have been written yet."));
      else errorBox.appendChild(ul);
      errorBox.hidden = false;
    }

    function requestDraft() {
      if (button.disabled) return;
      var typed = textarea.value.trim();
      if (typed && textarea.value !== lastDraft && !window.confirm("Replace the text in the editor with a draft?")) return;
      var body = new URLSearchParams();
      body.set("_csrf", csrfToken());
      if (tone) body.set("tone", tone.value);
      body.set("includeKnowledgeBase", knowledge && !knowledge.checked ? "false" : "true");
      if (canned && canned.value) body.set("cannedResponseId", canned.value);
      errorBox.hidden = true;
      busy(true);
      fetch("/ui/tickets/" + encodeURIComponent(form.dataset.ticketId) + "/draft", {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        body: body,
      }).then(function (response) {
        if (!response.ok) throw new Error("status " + response.status);
        return response.json();
      }).then(function (answer) {
        if (answer.state !== "ready") {
          showUnavailable(answer.message || "Draft unavailable", answer.cannedResponses);
          return;
        }
        textarea.value = answer.draft;
        lastDraft = textarea.value;
        textarea.dispatchEvent(new Event("input", { bubbles: true }));
        draftId.value = answer.draftId;
        draftId.disabled = false;
        button.textContent = "Regenerate (Alt+D)";
        showInfo(answer);
        // Reading starts at the top of the draft.
        textarea.focus();
        textarea.setSelectionRange(0, 0);
        textarea.scrollTop = 0;
      }).catch(function () {
        showUnavailable("Draft unavailable", canned ? Array.prototype.filter.call(canned.options, function (o) { return o.value; }).map(function (o) { return { id: o.value, title: o.textContent }; }) : []);
      }).finally(function () {
        busy(false);
      });
    }

    button.addEventListener("click", requestDraft);
    document.addEventListener("keydown", function (event) {
      if (event.altKey && !event.ctrlKey && !event.metaKey && (event.code === "KeyD" || (event.key || "").toLowerCase() === "d")) {
        event.preventDefault();
        requestDraft();
      }
    });
  }

  function ready() {
    setUpSummary();
    setUpCanned();
    setUpDraft();
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
