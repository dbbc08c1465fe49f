// Answering a questionnaire on a phone over a poor connection (/q/<secret>/, issue 13).
//
// Every change is written to localStorage at once and POSTed (debounced) to the save endpoint with
// only what changed. Offline, the changes wait in localStorage ("saved on this phone") and go when
// the browser is online again (the `online` event, and a retry every few seconds). A reload or a
// re-opened tab starts from the server's answers with this phone's unsent changes on top: those are
// newer. The server merges question by question (last write wins, events/questionnaire_answers.py)
// and answers with every stored answer, which this page takes for the questions it has no unsent
// change of (another tab's or device's answers, and answers dropped for hidden questions).
//
// The storage key is the invitation's number, not the link's secret: a reminder's fresh link opens
// what this phone kept under the old one.
(function () {
  "use strict";
  var form = document.getElementById("questionnaire");
  var stateNode = document.getElementById("questionnaire-state");
  if (!form || !stateNode) return;
  var state = JSON.parse(stateNode.textContent);
  var KEY = "questionnaire:" + state.invitation;
  var DEBOUNCE_MS = 700;
  var RETRY_MS = 4000;
  var statusNode = form.querySelector("[data-save-status]");
  var submitStatus = form.querySelector("[data-submit-status]");
  var questions = Array.prototype.slice.call(form.querySelectorAll(".question"));
  var byKey = {};
  questions.forEach(function (q) {
    byKey[q.getAttribute("data-key")] = q;
  });

  function readStore() {
    try {
      return JSON.parse(window.localStorage.getItem(KEY) || "null") || {};
    } catch (e) {
      return {};
    }
  }
  var stored = readStore();
  var pending = stored.pending || {}; // key -> value (null: cleared), not yet confirmed by the server
  var answers = Object.assign({}, state.answers || {}, pending);
  Object.keys(answers).forEach(function (k) {
    if (answers[k] === null) delete answers[k];
  });
  var revision = state.revision || 0;
  var submitWanted = !!stored.submitWanted;
  var submitted = !!state.submitted;
  var gone = false;
  var inflight = false;
  var timer = null;

  function persist() {
    try {
      window.localStorage.setItem(
        KEY,
        JSON.stringify({ answers: answers, pending: pending, revision: revision, submitWanted: submitWanted })
      );
    } catch (e) {
      /* storage full or disabled: the server copy still works when online */
    }
  }

  function say(node, key, mode) {
    if (!node) return;
    node.textContent = key ? form.getAttribute("data-msg-" + key) : "";
    node.setAttribute("data-mode", mode || key || "");
  }

  function same(a, b) {
    return JSON.stringify(a === undefined ? null : a) === JSON.stringify(b === undefined ? null : b);
  }

  // --- Reading and writing the controls ---------------------------------------------------------

  function skillsOf(q) {
    return Array.prototype.map.call(q.querySelectorAll("[data-skills-chosen] li"), function (li) {
      return { skill: li.getAttribute("data-skill"), level: Number(li.getAttribute("data-level")) };
    });
  }

  function valueOf(q) {
    var kind = q.getAttribute("data-kind");
    var key = q.getAttribute("data-key");
    if (kind === "single" || kind === "scale") {
      var checked = q.querySelector('input[name="' + key + '"]:checked');
      if (!checked) return null;
      return kind === "scale" ? Number(checked.value) : checked.value;
    }
    if (kind === "multiple") {
      var values = Array.prototype.map.call(q.querySelectorAll('input[name="' + key + '"]:checked'), function (i) {
        return i.value;
      });
      return values.length ? values : null;
    }
    if (kind === "skills") {
      var skills = skillsOf(q);
      return skills.length ? skills : null;
    }
    var input = q.querySelector('[name="' + key + '"]');
    if (!input || input.value === "") return null;
    if (kind === "number") {
      var n = Number(input.value);
      return isFinite(n) ? n : null;
    }
    return input.value;
  }

  function skillItem(q, skill, level) {
    var select = q.querySelector("[data-skill-select]");
    var option = select ? select.querySelector('option[value="' + CSS.escape(skill) + '"]') : null;
    var li = document.createElement("li");
    li.setAttribute("data-skill", skill);
    li.setAttribute("data-level", String(level));
    var label = document.createElement("span");
    label.textContent = (option ? option.textContent : skill) + " · " + form.getAttribute("data-msg-level") + " " + level;
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "button";
    remove.textContent = form.getAttribute("data-msg-remove");
    remove.addEventListener("click", function () {
      li.remove();
      changed(q);
    });
    li.appendChild(label);
    li.appendChild(remove);
    return li;
  }

  function show(q, value) {
    var kind = q.getAttribute("data-kind");
    var key = q.getAttribute("data-key");
    if (kind === "single" || kind === "scale" || kind === "multiple") {
      var wanted = value === null || value === undefined ? [] : [].concat(value).map(String);
      q.querySelectorAll('input[name="' + key + '"]').forEach(function (i) {
        i.checked = wanted.indexOf(i.value) !== -1;
      });
    } else if (kind === "skills") {
      var list = q.querySelector("[data-skills-chosen]");
      list.textContent = "";
      (value || []).forEach(function (s) {
        list.appendChild(skillItem(q, s.skill, s.level));
      });
    } else {
      var input = q.querySelector('[name="' + key + '"]');
      if (input && document.activeElement !== input) input.value = value === null || value === undefined ? "" : value;
    }
  }

  // --- Conditions: a question shows while an earlier answer has one of its values ----------------

  function matches(answer, values) {
    if (answer === null || answer === undefined) return false;
    return [].concat(answer).some(function (v) {
      return values.indexOf(String(v)) !== -1;
    });
  }

  function applyConditions() {
    var visible = {};
    questions.forEach(function (q) {
      var key = q.getAttribute("data-key");
      var parent = q.getAttribute("data-show-if");
      var shown = true;
      if (parent) {
        var values = JSON.parse(q.getAttribute("data-show-values") || "[]");
        shown = visible[parent] !== false && matches(answers[parent], values);
      }
      visible[key] = shown;
      q.hidden = !shown;
    });
  }

  // --- Saving -----------------------------------------------------------------------------------

  function changed(q) {
    var key = q.getAttribute("data-key");
    var value = valueOf(q);
    if (value === null) delete answers[key];
    else answers[key] = value;
    pending[key] = value;
    var error = q.querySelector("[data-error]");
    if (error) error.hidden = true;
    persist();
    applyConditions();
    if (!gone) say(statusNode, navigator.onLine === false ? "offline" : "saving");
    clearTimeout(timer);
    timer = setTimeout(flush, DEBOUNCE_MS);
  }

  function showErrors(errors) {
    Object.keys(errors || {}).forEach(function (key) {
      var q = byKey[key];
      var node = q && q.querySelector("[data-error]");
      if (node) {
        node.textContent = errors[key];
        node.hidden = false;
      }
    });
  }

  function adopt(body, sent) {
    revision = body.revision;
    Object.keys(sent).forEach(function (key) {
      if (key in pending && same(pending[key], sent[key])) delete pending[key];
    });
    // The server's answers for every question this phone has no unsent change of.
    var server = body.answers || {};
    Object.keys(byKey).forEach(function (key) {
      if (key in pending) return;
      if (!same(answers[key], server[key])) {
        if (server[key] === undefined) delete answers[key];
        else answers[key] = server[key];
        show(byKey[key], answers[key]);
      }
    });
    if (body.submitted) submitted = true;
    persist();
    applyConditions();
  }

  function post(url, sent) {
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ changes: sent, revision: revision, language: state.language }),
      credentials: "omit",
      cache: "no-store",
    }).then(function (r) {
      return r
        .json()
        .catch(function () {
          return {};
        })
        .then(function (body) {
          return { status: r.status, body: body };
        });
    });
  }

  function refused(result, sent) {
    if (result.status === 400 && result.body.errors) {
      // Those answers cannot be saved as they are: keep them on screen with the reason, stop sending them.
      Object.keys(result.body.errors).forEach(function (key) {
        if (key in sent) delete pending[key];
      });
      persist();
      showErrors(result.body.errors);
      say(statusNode, "missing", "error");
      return;
    }
    if (result.status === 404 || result.status === 410 || result.status === 409) {
      gone = true;
      statusNode.textContent = result.body.message || form.getAttribute("data-msg-gone");
      statusNode.setAttribute("data-mode", "error");
      return;
    }
    throw new Error("server " + result.status); // a 5xx or a proxy's page: try again later
  }

  function flush() {
    if (inflight || gone) return Promise.resolve();
    var keys = Object.keys(pending);
    if (!keys.length) {
      if (submitWanted) return sendSubmit();
      say(statusNode, "saved");
      return Promise.resolve();
    }
    var sent = {};
    keys.forEach(function (k) {
      sent[k] = pending[k];
    });
    inflight = true;
    say(statusNode, "saving");
    return post(state.urls.save, sent)
      .then(function (result) {
        inflight = false;
        if (result.status === 200) {
          adopt(result.body, sent);
          if (Object.keys(pending).length) return flush();
          if (submitWanted) return sendSubmit();
          say(statusNode, "saved");
        } else {
          refused(result, sent);
        }
      })
      .catch(function () {
        inflight = false;
        say(statusNode, "offline");
      });
  }

  function sendSubmit() {
    if (inflight || gone) return Promise.resolve();
    var sent = {};
    Object.keys(pending).forEach(function (k) {
      sent[k] = pending[k];
    });
    inflight = true;
    return post(state.urls.submit, sent)
      .then(function (result) {
        inflight = false;
        if (result.status === 200) {
          submitWanted = false;
          adopt(result.body, sent);
          say(statusNode, "saved");
          say(submitStatus, "submitted");
          form.setAttribute("data-submitted", "true");
        } else {
          submitWanted = false;
          persist();
          refused(result, sent);
          say(submitStatus, result.status === 400 ? "missing" : "", "error");
        }
      })
      .catch(function () {
        inflight = false;
        say(statusNode, "offline");
        say(submitStatus, "offline");
      });
  }

  // --- Wiring -----------------------------------------------------------------------------------

  questions.forEach(function (q) {
    show(q, answers[q.getAttribute("data-key")]);
    var kind = q.getAttribute("data-kind");
    q.addEventListener(kind === "short_text" || kind === "long_text" || kind === "number" ? "input" : "change", function (e) {
      if (e.target.matches("[data-skill-select], [data-skill-level]")) return;
      changed(q);
    });
    var add = q.querySelector("[data-skill-add]");
    if (add) {
      add.addEventListener("click", function () {
        var select = q.querySelector("[data-skill-select]");
        var level = Number(q.querySelector("[data-skill-level]").value);
        if (!select.value) return;
        var list = q.querySelector("[data-skills-chosen]");
        var old = list.querySelector('li[data-skill="' + CSS.escape(select.value) + '"]');
        if (old) old.remove();
        list.appendChild(skillItem(q, select.value, level));
        select.value = "";
        changed(q);
      });
    }
  });
  applyConditions();
  if (submitted) form.setAttribute("data-submitted", "true");

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    submitWanted = true;
    persist();
    clearTimeout(timer);
    if (navigator.onLine === false) {
      say(statusNode, "offline");
      say(submitStatus, "offline");
      return;
    }
    flush();
  });

  // Another tab of the same questionnaire wrote its answers: show them here too, and carry its unsent
  // changes as ours (sending one twice is harmless), so closing either tab loses nothing.
  window.addEventListener("storage", function (e) {
    if (e.key !== KEY || !e.newValue) return;
    var other;
    try {
      other = JSON.parse(e.newValue);
    } catch (x) {
      return;
    }
    var theirs = other.answers || {};
    var ours = Object.assign({}, pending); // this tab's own unsent changes stay as they are
    Object.keys(other.pending || {}).forEach(function (key) {
      if (!(key in ours) && key in byKey) pending[key] = other.pending[key];
    });
    Object.keys(byKey).forEach(function (key) {
      if (key in ours) return;
      if (!same(answers[key], theirs[key])) {
        if (theirs[key] === undefined) delete answers[key];
        else answers[key] = theirs[key];
        show(byKey[key], answers[key]);
      }
    });
    applyConditions();
  });

  window.addEventListener("online", function () {
    flush();
  });
  setInterval(function () {
    if (Object.keys(pending).length || submitWanted) flush();
  }, RETRY_MS);

  if (!state.opened) {
    fetch(state.urls.opened, { method: "POST", credentials: "omit" }).catch(function () {});
  }
  if (Object.keys(pending).length || submitWanted) flush();
  else say(statusNode, "");
})();
